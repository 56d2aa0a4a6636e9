package io.tandem.allocator;

import io.tandem.allocator.Refusal.Reason;
import io.tandem.model.AgentId;
import io.tandem.model.Resources;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Mesos's way, for frameworks that declared no demand: on each agent, the most deserving candidate gets
 * everything its role may use there, then the next gets what is left (typically resources reserved for
 * other roles). Owned by the {@link Allocator}, for one round.
 */
final class WholeAgentPass {
    private final Allocator allocator;
    private final Instant now;

    WholeAgentPass(Allocator allocator, Instant now) {
        this.allocator = allocator;
        this.now = now;
    }

    private record Served(Candidate candidate, AgentId agent) {}

    /** Serves every agent in {@code order}, after whatever {@code grants} already holds for this round. */
    void run(List<AgentId> order, List<Candidate> eligible, List<Grant> grants, RefusalCounts refusals) {
        // A candidate that already took an agent's remainder during progressive filling is done with that
        // agent, not refused there.
        Set<Served> served = new HashSet<>();
        grants.forEach(g -> served.add(new Served(new Candidate(g.frameworkId(), g.role()), g.agentId())));
        for (AgentId agent : order) {
            List<Candidate> rest = served.isEmpty() ? eligible : eligible.stream()
                    .filter(c -> !served.contains(new Served(c, agent))).toList();
            allocateOn(agent, rest, grants, refusals);
        }
    }

    private void allocateOn(AgentId agent, List<Candidate> eligible, List<Grant> grants, RefusalCounts refusals) {
        List<Candidate> remaining = new ArrayList<>(eligible);
        while (!remaining.isEmpty()) {
            Map<String, Resources> usable = new HashMap<>();
            remaining.removeIf(c -> {
                Resources forRole = usable.computeIfAbsent(c.role(), role -> allocator.usableFor(role, agent));
                if (!Allocator.isAllocatable(forRole)) {
                    boolean quota = Allocator.isAllocatable(allocator.available(agent).usableBy(c.role()));
                    refusals.add(c.framework(), c.role(), quota ? Reason.QUOTA : Reason.NOTHING_LEFT, 1);
                    return true;
                }
                if (allocator.state(c.framework()).isFiltered(agent, forRole, now)) {
                    refusals.add(c.framework(), c.role(), Reason.FILTERED, 1);
                    return true;
                }
                return false;
            });
            if (remaining.isEmpty()) {
                return;
            }
            Candidate next = allocator.pick(remaining);
            remaining.remove(next);
            Resources granted = usable.get(next.role());
            allocator.hold(next, agent, granted);
            grants.add(new Grant(next.framework(), next.role(), agent, granted));
        }
    }

}
