package io.tandem.allocator;

import io.tandem.allocator.Refusal.Reason;
import io.tandem.model.AgentId;
import io.tandem.model.Resources;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Mesos's way, for frameworks that declared no demand: on each agent, the most deserving candidate gets
 * everything its role may use there, then the next gets what is left (typically resources reserved for
 * other roles). Owned by the {@link Allocator}, for one round.
 *
 * <p>Cost: per agent, the fair order is scanned once per grant (a scan over cached numbers, {@link FairOrder});
 * only the candidates with a filter on the agent are checked against filters, and a role is asked what it may
 * use only when its turn comes. A candidate is passed over on an agent for the first reason its role or it
 * meets there: nothing usable left (or quota), checked when the role's turn comes; or a filter, checked at each
 * grant. Roles whose quota limit leaves them nothing are out for the rest of the round.
 */
final class WholeAgentPass {
    private final Allocator allocator;
    private final Instant now;
    private FairOrder order;
    private RefusalTally tally;
    private boolean reservations;
    /** Per candidate and per role, the number of the agent on which it was last taken out of the running. */
    private int[] excludedOn;
    private int[] roleDoneOn;
    private int stamp;
    /** Per candidate, its framework's state, looked up once per pass. */
    private FrameworkState[] states;

    WholeAgentPass(Allocator allocator, Instant now) {
        this.allocator = allocator;
        this.now = now;
    }

    /** Serves every agent in {@code order}, after whatever {@code grants} already holds for this round. */
    void run(List<AgentId> agents, List<Candidate> eligible, List<Grant> grants, RefusalCounts refusals) {
        if (eligible.isEmpty()) {
            return;   // e.g. every framework declared demand: nothing to look at agent by agent
        }
        order = allocator.fairOrder(eligible);
        tally = new RefusalTally(order);
        excludedOn = new int[order.size()];
        roleDoneOn = new int[order.roleCount()];
        reservations = allocator.hasReservations();
        states = new FrameworkState[order.size()];
        for (int i = 0; i < states.length; i++) {
            states[i] = allocator.state(order.get(i).framework());
        }
        // A candidate that already took an agent's remainder during progressive filling is done with that
        // agent, not refused there.
        Map<AgentId, List<Integer>> served = byAgent(grants);
        Map<AgentId, List<Integer>> filtered = filterHolders();
        for (AgentId agent : agents) {
            stamp++;
            List<Integer> excluded = new ArrayList<>(served.getOrDefault(agent, List.of()));
            excluded.forEach(i -> excludedOn[i] = stamp);
            Resources free = allocator.available(agent);
            countOutRoles(free, excluded);
            allocateOn(agent, free, filtered.getOrDefault(agent, List.of()), excluded, grants);
        }
        tally.into(refusals);
    }

    private Map<AgentId, List<Integer>> byAgent(List<Grant> grants) {
        Map<AgentId, List<Integer>> out = new HashMap<>();
        for (Grant g : grants) {
            int i = order.indexOf(new Candidate(g.frameworkId(), g.role()));
            if (i >= 0) {
                out.computeIfAbsent(g.agentId(), a -> new ArrayList<>()).add(i);
            }
        }
        return out;
    }

    /** Agent -> the candidates whose framework has a filter there (the only ones that can be filtered). */
    private Map<AgentId, List<Integer>> filterHolders() {
        Map<AgentId, List<Integer>> out = new HashMap<>();
        for (int i = 0; i < order.size(); i++) {
            int candidate = i;
            states[i].filters.keySet()
                    .forEach(agent -> out.computeIfAbsent(agent, a -> new ArrayList<>()).add(candidate));
        }
        return out;
    }

    /** Roles out of the round are passed over on this agent as at its start: nothing left, or quota. */
    private void countOutRoles(Resources free, List<Integer> excluded) {
        if (!reservations) {
            Reason reason = Allocator.isAllocatable(free) ? Reason.QUOTA : Reason.NOTHING_LEFT;
            tally.allOut(reason);
            excluded.stream().filter(i -> tally.isOut(order.roleOf(i))).forEach(i -> tally.candidate(i, reason, -1));
            return;
        }
        for (int r = 0; r < order.roleCount(); r++) {
            if (tally.isOut(r)) {
                roleDoneOn[r] = stamp;
                roleRefused(r, Allocator.isAllocatable(free.usableBy(order.role(r))) ? Reason.QUOTA
                        : Reason.NOTHING_LEFT, excluded);
            }
        }
    }

    private void allocateOn(AgentId agent, Resources freeAtStart, List<Integer> holders, List<Integer> excluded,
            List<Grant> grants) {
        Map<Integer, Resources> usable = new HashMap<>();
        Resources free = freeAtStart;
        while (true) {
            if (!Allocator.isAllocatable(free)) {
                nothingLeftForAnyone(excluded);
                return;
            }
            for (int i : holders) {
                if (isIn(i)) {
                    Resources forRole = usable(free, order.roleOf(i), usable);
                    if (forRole == null) {
                        roleNotServed(free, order.roleOf(i), excluded);
                    } else if (states[i].isFiltered(agent, forRole, now)) {
                        tally.candidate(i, Reason.FILTERED, 1);
                        excludedOn[i] = stamp;
                        excluded.add(i);
                    }
                }
            }
            int next = order.first(r -> roleDoneOn[r] == stamp || tally.isOut(r), i -> excludedOn[i] == stamp);
            if (next < 0) {
                return;
            }
            Resources granted = usable(free, order.roleOf(next), usable);
            if (granted == null) {
                roleNotServed(free, order.roleOf(next), excluded);
                continue;
            }
            Candidate c = order.get(next);
            allocator.hold(c, agent, granted);
            grants.add(new Grant(c.framework(), c.role(), agent, granted));
            order.granted(next);
            excludedOn[next] = stamp;
            excluded.add(next);
            usable.clear();
            free = free.minus(granted);   // what the agent has free now, without re-summing what it holds
        }
    }

    private boolean isIn(int i) {
        int r = order.roleOf(i);
        return excludedOn[i] != stamp && roleDoneOn[r] != stamp && !tally.isOut(r);
    }

    /** What the role may be given on the agent now, or null if that is not worth an offer. */
    private Resources usable(Resources free, int role, Map<Integer, Resources> cache) {
        Resources forRole = cache.computeIfAbsent(role, r -> allocator.usableOf(order.role(r), free));
        return Allocator.isAllocatable(forRole) ? forRole : null;
    }

    private void roleNotServed(Resources free, int r, List<Integer> excluded) {
        String role = order.role(r);
        boolean quota = Allocator.isAllocatable(free.usableBy(role));
        roleDoneOn[r] = stamp;
        roleRefused(r, quota ? Reason.QUOTA : Reason.NOTHING_LEFT, excluded);
        if (quota && allocator.atQuotaLimit(role)) {
            tally.out(r);
            order.removeRole(r);
        }
    }

    /** Every candidate of the role still in the running on this agent is passed over for {@code reason}. */
    private void roleRefused(int r, Reason reason, List<Integer> excluded) {
        tally.role(r, reason);
        excluded.stream().filter(i -> order.roleOf(i) == r).forEach(i -> tally.candidate(i, reason, -1));
    }

    private void nothingLeftForAnyone(List<Integer> excluded) {
        for (int r = 0; r < order.roleCount(); r++) {
            if (roleDoneOn[r] != stamp && !tally.isOut(r)) {
                roleDoneOn[r] = stamp;
                roleRefused(r, Reason.NOTHING_LEFT, excluded);
            }
        }
    }
}
