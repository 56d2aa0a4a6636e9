package io.tandem.frameworks.batch;

import io.tandem.frameworks.common.AgentCapacity;
import io.tandem.frameworks.common.Constraint;
import io.tandem.sdk.ResourceNeeds;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Whether a job could ever run on the cluster's agents as they are: every stage needs an agent its
 * constraints admit and whose whole capacity holds one task, and enough distinct attribute values
 * for its UNIQUE / MAX_PER constraints. A job that fails this is refused at submission, with the
 * stage and the reason, instead of waiting forever for offers that cannot come.
 */
final class Feasibility {
    private Feasibility() {}

    /** @throws IllegalArgumentException naming the stage and why no agent can run it */
    static void check(Job job, List<AgentCapacity> agents) {
        if (agents.isEmpty()) {
            return;   // no agent yet: nothing to judge against; the job waits for one
        }
        for (int i = 0; i < job.stages().size(); i++) {
            Stage stage = job.stages().get(i);
            String at = "stages[" + i + "] (" + stage.name() + "): ";
            List<AgentCapacity> admitted = agents.stream().filter(a -> stage.constraints().admit(a.agent())).toList();
            if (admitted.isEmpty()) {
                throw new IllegalArgumentException(at + "no agent meets constraints " + stage.constraints()
                        + "; agents: " + agents.stream().map(a -> a.agent().hostname() + " " + a.agent().attributes())
                        .collect(Collectors.joining(", ")));
            }
            List<AgentCapacity> big = admitted.stream().filter(a -> a.howMany(stage.needs()) >= 1).toList();
            if (big.isEmpty()) {
                AgentCapacity largest = admitted.stream()
                        .max(Comparator.comparingDouble(AgentCapacity::cpus).thenComparingDouble(AgentCapacity::memMb))
                        .orElseThrow();
                throw new IllegalArgumentException(at + "resources " + needs(stage.needs())
                        + " fit no agent; the largest has " + largest.describe());
            }
            for (Constraint c : stage.constraints().list()) {
                long room = c.room(big.stream().map(AgentCapacity::agent).toList());
                if (room < stage.count()) {
                    throw new IllegalArgumentException(at + "count " + stage.count() + " can never be placed under "
                            + c + ": the agents allow at most " + room);
                }
            }
        }
    }

    static String needs(ResourceNeeds n) {
        String text = "cpus:" + num(n.cpus()) + ";mem:" + num(n.memMb());
        return n.diskMb() > 0 ? text + ";disk:" + num(n.diskMb()) : text;
    }

    private static String num(double v) {
        return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }
}
