package io.tandem.allocator;

import io.tandem.allocator.Refusal.Reason;
import io.tandem.model.AgentId;
import io.tandem.model.FrameworkId;
import io.tandem.model.Resources;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The cluster as an allocation round sees it, and the round itself: who is eligible, the two passes
 * ({@link ProgressiveFilling} for declared demand, then {@link WholeAgentPass}), and the questions they ask
 * through it: what each agent has free, what a role may be given there (what it may use, within quota limits
 * and less other roles' unmet guarantees), the candidates' fair order, each framework's state, and recording a
 * grant. The {@link Allocator} takes events and owns the state read here; a round changes it only through
 * {@link #hold}. Not thread-safe.
 */
final class Pool {
    private final AgentTotals agents;
    private final Allocations allocations;
    private final FairShare fairShare;
    private final Map<FrameworkId, FrameworkState> frameworks;
    private final OfferFilters filters;

    Pool(AgentTotals agents, Allocations allocations, FairShare fairShare, Map<FrameworkId, FrameworkState> frameworks,
            OfferFilters filters) {
        this.agents = agents;
        this.allocations = allocations;
        this.fairShare = fairShare;
        this.frameworks = frameworks;
        this.filters = filters;
    }

    /** One round over the agents in {@code order}: the grants, and why each (framework, role) was passed over. */
    Round allocate(List<AgentId> order, Instant now) {
        RefusalCounts refusals = new RefusalCounts();
        List<Candidate> eligible = eligible(refusals, order.size());
        List<Grant> grants = new ArrayList<>();
        if (eligible.stream().anyMatch(this::hasDemand)) {
            grants.addAll(new ProgressiveFilling(this, order, now).run(eligible, refusals));
            eligible = eligible.stream().filter(c -> !hasDemand(c)).toList();
        }
        new WholeAgentPass(this, now).run(order, eligible, grants, refusals);
        return new Round(now, grants, refusals.list());
    }

    private List<Candidate> eligible(RefusalCounts refusals, int agentCount) {
        List<Candidate> out = new ArrayList<>();
        frameworks.forEach((id, state) -> {
            for (String role : state.roles) {
                if (!state.active) {
                    refusals.add(id, role, Reason.INACTIVE, agentCount);
                } else if (state.suppressedRoles.contains(role)) {
                    refusals.add(id, role, Reason.SUPPRESSED, agentCount);
                } else {
                    out.add(new Candidate(id, role));
                }
            }
        });
        return out;
    }

    private boolean hasDemand(Candidate c) {
        return frameworks.get(c.framework()).hasDemand(c.role());
    }

    /** The agent's total minus everything allocated on it; empty for an unknown agent. */
    Resources available(AgentId agent) {
        Resources total = agents.get(agent);
        return total == null ? Resources.empty() : total.minus(allocations.onAgent(agent));
    }

    /** What the role may be given on the agent now: what it may use there, within quota. */
    Resources usableFor(String role, AgentId agent) {
        return usableOf(role, available(agent));
    }

    /** As {@link #usableFor}, given what the agent has free now. */
    Resources usableOf(String role, Resources free) {
        return fairShare.usable(role, free, agents.unreservedScalars(), agents.hasReservations());
    }

    boolean hasReservations() {
        return agents.hasReservations();
    }

    /** True if a quota limit on the role's path leaves it less than an offer's minimum: nothing more this round. */
    boolean atQuotaLimit(String role) {
        return fairShare.atQuotaLimit(role);
    }

    /** The candidates in the fair order, cheap to ask again after each grant. */
    FairOrder fairOrder(List<Candidate> candidates) {
        return fairShare.order(candidates, agents.clusterScalars());
    }

    /** Records a grant: the resources count as allocated to the candidate from now on. */
    void hold(Candidate c, AgentId agent, Resources resources) {
        fairShare.hold(c, agent, resources);
    }

    /** Every framework's offer filters, by agent. */
    OfferFilters filters() {
        return filters;
    }

    /** @throws IllegalArgumentException for an unknown framework */
    FrameworkState state(FrameworkId framework) {
        FrameworkState state = frameworks.get(framework);
        if (state == null) {
            throw new IllegalArgumentException("unknown framework " + framework);
        }
        return state;
    }
}
