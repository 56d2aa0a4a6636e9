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
 * other roles). Run by the {@link Pool}, for one round.
 *
 * <p>Cost: per agent, the fair order is scanned once per grant (a scan over cached numbers, {@link FairOrder});
 * only the candidates with a filter on the agent are checked against filters, and a role is asked what it may
 * use only when its turn comes. A candidate is passed over on an agent for the first reason its role or it
 * meets there: nothing usable left (or quota), checked when the role's turn comes; or a filter, checked at each
 * grant. Roles whose quota limit leaves them nothing are out for the rest of the round.
 */
final class WholeAgentPass {
    private final Pool pool;
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
    /** Per role, what it may use on the agent now, valid while {@code usableAt[role] == step}. */
    private Resources[] usableNow;
    private int[] usableAt;
    /** Counts (agent, grant) steps: what a role may use changes with each. */
    private int step;

    WholeAgentPass(Pool pool, Instant now) {
        this.pool = pool;
        this.now = now;
    }

    /** Serves every agent in {@code order}, after whatever {@code grants} already holds for this round. */
    void run(List<AgentId> agents, List<Candidate> eligible, List<Grant> grants, RefusalCounts refusals) {
        if (eligible.isEmpty()) {
            return;   // e.g. every framework declared demand: nothing to look at agent by agent
        }
        order = pool.fairOrder(eligible);
        tally = new RefusalTally(order);
        excludedOn = new int[order.size()];
        roleDoneOn = new int[order.roleCount()];
        usableNow = new Resources[order.roleCount()];
        usableAt = new int[order.roleCount()];
        reservations = pool.hasReservations();
        states = new FrameworkState[order.size()];
        for (int i = 0; i < states.length; i++) {
            states[i] = pool.state(order.get(i).framework());
        }
        // A candidate that already took an agent's remainder during progressive filling is done with that
        // agent, not refused there.
        Map<AgentId, List<Integer>> served = byAgent(grants);
        Map<AgentId, List<Holder>> filtered = filterHolders();
        for (AgentId agent : agents) {
            stamp++;
            List<Integer> servedHere = served.get(agent);
            List<Integer> excluded = servedHere == null ? new ArrayList<>(4) : new ArrayList<>(servedHere);
            for (int i : excluded) {
                excludedOn[i] = stamp;
            }
            Resources free = pool.available(agent);
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

    /** A candidate whose framework has filters on an agent, and those filters. */
    private record Holder(int candidate, List<FrameworkState.OfferFilter> filters) {}

    /** Agent -> the candidates whose framework has a filter there (the only ones that can be filtered). */
    private Map<AgentId, List<Holder>> filterHolders() {
        Map<AgentId, List<Holder>> out = new HashMap<>();
        for (int i = 0; i < order.size(); i++) {
            for (var e : states[i].filters.entrySet()) {
                out.computeIfAbsent(e.getKey(), a -> new ArrayList<>(4)).add(new Holder(i, e.getValue()));
            }
        }
        return out;
    }

    /** Roles out of the round are passed over on this agent as at its start: nothing left, or quota. */
    private void countOutRoles(Resources free, List<Integer> excluded) {
        if (!reservations) {
            Reason reason = Allocator.isAllocatable(free) ? Reason.QUOTA : Reason.NOTHING_LEFT;
            tally.allOut(reason);
            for (int i : excluded) {
                if (tally.isOut(order.roleOf(i))) {
                    tally.candidate(i, reason, -1);
                }
            }
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

    private void allocateOn(AgentId agent, Resources freeAtStart, List<Holder> holders, List<Integer> excluded,
            List<Grant> grants) {
        Resources free = freeAtStart;
        while (true) {
            step++;
            if (!Allocator.isAllocatable(free)) {
                nothingLeftForAnyone(excluded);
                return;
            }
            for (int k = 0; k < holders.size(); k++) {
                Holder h = holders.get(k);
                int i = h.candidate();
                if (isIn(i)) {
                    Resources forRole = usable(free, order.roleOf(i));
                    if (forRole == null) {
                        roleNotServed(free, order.roleOf(i), excluded);
                    } else if (states[i].isFiltered(agent, h.filters(), forRole, now)) {
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
            Resources granted = usable(free, order.roleOf(next));
            if (granted == null) {
                roleNotServed(free, order.roleOf(next), excluded);
                continue;
            }
            Candidate c = order.get(next);
            pool.hold(c, agent, granted);
            grants.add(new Grant(c.framework(), c.role(), agent, granted));
            order.granted(next);
            excludedOn[next] = stamp;
            excluded.add(next);
            free = free.minus(granted);   // what the agent has free now, without re-summing what it holds
        }
    }

    private boolean isIn(int i) {
        int r = order.roleOf(i);
        return excludedOn[i] != stamp && roleDoneOn[r] != stamp && !tally.isOut(r);
    }

    /** What the role may be given on the agent now, or null if that is not worth an offer. */
    private Resources usable(Resources free, int role) {
        if (usableAt[role] != step) {
            usableNow[role] = pool.usableOf(order.role(role), free);
            usableAt[role] = step;
        }
        return Allocator.isAllocatable(usableNow[role]) ? usableNow[role] : null;
    }

    private void roleNotServed(Resources free, int r, List<Integer> excluded) {
        String role = order.role(r);
        boolean quota = Allocator.isAllocatable(free.usableBy(role));
        roleDoneOn[r] = stamp;
        roleRefused(r, quota ? Reason.QUOTA : Reason.NOTHING_LEFT, excluded);
        if (quota && pool.atQuotaLimit(role)) {
            tally.out(r);
            order.removeRole(r);
        }
    }

    /** Every candidate of the role still in the running on this agent is passed over for {@code reason}. */
    private void roleRefused(int r, Reason reason, List<Integer> excluded) {
        tally.role(r, reason);
        for (int i : excluded) {
            if (order.roleOf(i) == r) {
                tally.candidate(i, reason, -1);
            }
        }
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
