package io.tandem.frameworks.service;

import io.tandem.frameworks.common.AgentCapacity;
import io.tandem.frameworks.common.AgentView;
import io.tandem.frameworks.common.Constraint;
import io.tandem.sdk.ResourceNeeds;
import java.math.BigDecimal;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Whether an app could ever run on the cluster's agents as they are (their whole capacity for the
 * role, from {@code GET_AGENTS}): an agent its constraints admit, one whose capacity holds an instance,
 * and enough distinct values for its {@code unique} / {@code max_per} constraints. An app that fails this
 * is refused at deploy, naming the field; one that passes waits while the cluster is merely busy.
 */
final class ServiceFeasibility {
    private ServiceFeasibility() {}

    /** @throws IllegalArgumentException naming the field and why no agent can ever host the instances */
    static void check(AppSpec spec, int instances, List<AgentCapacity> agents) {
        if (agents.isEmpty() || instances == 0) {
            return;   // no agent yet: nothing to judge against; the app waits for one
        }
        List<Constraint> rules = spec.constraints().list();
        for (int k = 0; k < rules.size(); k++) {
            Constraint c = rules.get(k);
            if (agents.stream().noneMatch(a -> c.admits(a.agent()))) {
                AgentView first = agents.getFirst().agent();
                throw new IllegalArgumentException("constraints[" + k + "]: no agent can meet " + c + "; for example "
                        + c.violation(first, List.of()).orElse(first.hostname() + " " + first.attributes()));
            }
        }
        List<AgentCapacity> admitted = agents.stream().filter(a -> spec.constraints().admit(a.agent())).toList();
        if (admitted.isEmpty()) {
            throw new IllegalArgumentException("constraints: no single agent meets all of them together");
        }
        ResourceNeeds needs = spec.needs();
        tooBig("cpus", needs.cpus(), admitted, AgentCapacity::cpus);
        tooBig("mem", needs.memMb(), admitted, AgentCapacity::memMb);
        tooBig("disk", needs.diskMb(), admitted, AgentCapacity::diskMb);
        tooBig("ports", needs.ports(), admitted, a -> a.ports());
        List<AgentCapacity> fit = admitted.stream().filter(a -> a.howMany(needs) >= 1).toList();
        if (fit.isEmpty()) {
            throw new IllegalArgumentException("resources: one instance fits on no agent with all of them together; "
                    + "the agents have " + admitted.stream().map(AgentCapacity::describe).toList());
        }
        spread(spec, instances, fit);
    }

    private static void tooBig(String name, double need, List<AgentCapacity> agents, ToDoubleFunction<AgentCapacity> has) {
        double largest = agents.stream().mapToDouble(has).max().orElse(0);
        if (need > largest) {
            throw new IllegalArgumentException("resources." + name + ": " + text(need)
                    + " fits on no agent; the largest offers " + text(largest));
        }
    }

    private static void spread(AppSpec spec, int instances, List<AgentCapacity> fit) {
        List<Constraint> rules = spec.constraints().list();
        for (int k = 0; k < rules.size(); k++) {
            Constraint c = rules.get(k);
            long room = c.room(fit.stream().map(AgentCapacity::agent).toList());
            if (room < instances) {
                throw new IllegalArgumentException("instances: " + instances + " can never be placed under constraints["
                        + k + "] (" + c + "): the agents allow at most " + room);
            }
        }
    }

    private static String text(double value) {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    /** The agents to judge against; empty when the master cannot be asked (the app then simply waits). */
    interface Agents {
        List<AgentCapacity> fetch() throws java.io.IOException;
    }
}
