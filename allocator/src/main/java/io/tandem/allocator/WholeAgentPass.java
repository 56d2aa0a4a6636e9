package io.tandem.allocator;

import io.tandem.allocator.Refusal.Reason;
import io.tandem.model.AgentId;
import io.tandem.model.Resources;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;

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
    private OfferFilters filters;
    /** Per filter slot ({@link OfferFilters#slotOf}), its framework's candidates' numbers in the fair order. */
    private int[][] candidatesOf;
    /** This agent's candidates passed over or served so far ({@code excludedCount} of them). */
    private int[] excluded;
    private int excludedCount;
    /** This agent's candidates with a filter here, and their filters ({@code holderCount} of them). */
    private int[] holders;
    private OfferFilters.Held[] holderFilters;
    private int holderCount;
    /** Per role, what it may use on the agent now, valid while {@code usableAt[role] == step}. */
    private Resources[] usableNow;
    private int[] usableAt;
    /** Counts (agent, grant) steps: what a role may use changes with each. */
    private int step;
    /** {@link FairOrder#first}'s questions, made once per pass rather than once per grant. */
    private final IntPredicate skipRole = r -> roleDoneOn[r] == stamp || tally.isOut(r);
    private final IntPredicate skipCandidate = i -> excludedOn[i] == stamp;

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
        filters = pool.filters();
        candidatesOf = candidatesBySlot();
        excluded = new int[8];
        holders = new int[8];
        holderFilters = new OfferFilters.Held[8];
        // A candidate that already took an agent's remainder during progressive filling is done with that
        // agent, not refused there.
        Map<AgentId, List<Integer>> served = byAgent(grants);
        for (AgentId agent : agents) {
            stamp++;
            excludedCount = 0;
            List<Integer> servedHere = served.get(agent);
            if (servedHere != null) {
                servedHere.forEach(this::exclude);
            }
            Resources free = pool.available(agent);
            countOutRoles(free);
            collectHolders(agent);
            allocateOn(agent, free, grants);
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

    /** Filter slot -> its framework's candidates' numbers (one per role it is eligible in), or null. */
    private int[][] candidatesBySlot() {
        int[][] out = new int[filters.slotCount()][];
        for (int i = 0; i < order.size(); i++) {
            int slot = filters.slotOf(order.get(i).framework());
            if (slot >= 0) {
                int[] had = out[slot] == null ? new int[0] : out[slot];
                out[slot] = Arrays.copyOf(had, had.length + 1);
                out[slot][had.length] = i;
            }
        }
        return out;
    }

    /**
     * The candidates whose framework has a filter on the agent (the only ones that can be filtered there), and
     * those filters, copied out of the index: checking a filter may drop expired ones from it.
     */
    private void collectHolders(AgentId agent) {
        holderCount = 0;
        List<OfferFilters.Held> here = filters.on(agent);
        for (int h = 0; h < here.size(); h++) {
            OfferFilters.Held held = here.get(h);
            int[] of = candidatesOf[held.slot()];
            if (of == null) {
                continue;   // inactive, suppressed, or served by progressive filling
            }
            for (int i : of) {
                if (holderCount == holders.length) {
                    holders = Arrays.copyOf(holders, holderCount * 2);
                    holderFilters = Arrays.copyOf(holderFilters, holderCount * 2);
                }
                holders[holderCount] = i;
                holderFilters[holderCount++] = held;
            }
        }
    }

    private void exclude(int i) {
        excludedOn[i] = stamp;
        if (excludedCount == excluded.length) {
            excluded = Arrays.copyOf(excluded, excludedCount * 2);
        }
        excluded[excludedCount++] = i;
    }

    /** Roles out of the round are passed over on this agent as at its start: nothing left, or quota. */
    private void countOutRoles(Resources free) {
        if (!reservations) {
            Reason reason = Allocator.isAllocatable(free) ? Reason.QUOTA : Reason.NOTHING_LEFT;
            tally.allOut(reason);
            for (int k = 0; k < excludedCount; k++) {
                if (tally.isOut(order.roleOf(excluded[k]))) {
                    tally.candidate(excluded[k], reason, -1);
                }
            }
            return;
        }
        for (int r = 0; r < order.roleCount(); r++) {
            if (tally.isOut(r)) {
                roleDoneOn[r] = stamp;
                roleRefused(r, Allocator.isAllocatable(free.usableBy(order.role(r))) ? Reason.QUOTA
                        : Reason.NOTHING_LEFT);
            }
        }
    }

    private void allocateOn(AgentId agent, Resources freeAtStart, List<Grant> grants) {
        Resources free = freeAtStart;
        while (true) {
            step++;
            if (!Allocator.isAllocatable(free)) {
                nothingLeftForAnyone();
                return;
            }
            checkFilters(agent, free);
            int next = order.first(skipRole, skipCandidate);
            if (next < 0) {
                return;
            }
            Resources granted = usable(free, order.roleOf(next));
            if (granted == null) {
                roleNotServed(free, order.roleOf(next));
                continue;
            }
            Candidate c = order.get(next);
            pool.hold(c, agent, granted);
            grants.add(new Grant(c.framework(), c.role(), agent, granted));
            order.granted(next);
            exclude(next);
            free = free.minus(granted);   // what the agent has free now, without re-summing what it holds
        }
    }

    /** Candidates still in the running whose filters cover what their role may use here are passed over. */
    private void checkFilters(AgentId agent, Resources free) {
        for (int k = 0; k < holderCount; k++) {
            int i = holders[k];
            if (isIn(i)) {
                Resources forRole = usable(free, order.roleOf(i));
                if (forRole == null) {
                    roleNotServed(free, order.roleOf(i));
                } else if (filters.isFiltered(agent, holderFilters[k], forRole, now)) {
                    tally.candidate(i, Reason.FILTERED, 1);
                    exclude(i);
                }
            }
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

    private void roleNotServed(Resources free, int r) {
        String role = order.role(r);
        boolean quota = Allocator.isAllocatable(free.usableBy(role));
        roleDoneOn[r] = stamp;
        roleRefused(r, quota ? Reason.QUOTA : Reason.NOTHING_LEFT);
        if (quota && pool.atQuotaLimit(role)) {
            tally.out(r);
            order.removeRole(r);
        }
    }

    /** Every candidate of the role still in the running on this agent is passed over for {@code reason}. */
    private void roleRefused(int r, Reason reason) {
        tally.role(r, reason);
        for (int k = 0; k < excludedCount; k++) {
            if (order.roleOf(excluded[k]) == r) {
                tally.candidate(excluded[k], reason, -1);
            }
        }
    }

    private void nothingLeftForAnyone() {
        for (int r = 0; r < order.roleCount(); r++) {
            if (roleDoneOn[r] != stamp && !tally.isOut(r)) {
                roleDoneOn[r] = stamp;
                roleRefused(r, Reason.NOTHING_LEFT);
            }
        }
    }
}
