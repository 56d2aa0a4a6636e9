package io.tandem.allocator;

import io.tandem.allocator.Refusal.Reason;

/**
 * Counts a whole-agent pass's refusals without touching every candidate on every agent: a reason given to all
 * of a role's candidates on an agent is one increment of the role's counter, and the few candidates it must
 * not count for on that agent (served there, or already refused there for another reason) get a correction.
 * Roles out for the rest of the pass (quota limit reached) share one counter per reason from then on.
 * Owned by the {@link WholeAgentPass}, for one pass.
 */
final class RefusalTally {
    private static final Reason[] REASONS = Reason.values();

    private final FairOrder order;
    private final long[][] byRole;
    private final long[][] byCandidate;
    private final long[] whileOut = new long[REASONS.length];
    private final long[][] outSince;

    RefusalTally(FairOrder order) {
        this.order = order;
        byRole = new long[order.roleCount()][REASONS.length];
        byCandidate = new long[order.size()][REASONS.length];
        outSince = new long[order.roleCount()][];
    }

    void candidate(int i, Reason reason, int delta) {
        byCandidate[i][reason.ordinal()] += delta;
    }

    void role(int r, Reason reason) {
        byRole[r][reason.ordinal()]++;
    }

    boolean isOut(int r) {
        return outSince[r] != null;
    }

    /** From now on the role's candidates are counted with {@link #allOut}. */
    void out(int r) {
        outSince[r] = whileOut.clone();
    }

    /** One agent on which every role that is out gets {@code reason}. */
    void allOut(Reason reason) {
        whileOut[reason.ordinal()]++;
    }

    void into(RefusalCounts refusals) {
        for (int i = 0; i < order.size(); i++) {
            int r = order.roleOf(i);
            Candidate c = order.get(i);
            for (Reason reason : REASONS) {
                int k = reason.ordinal();
                long n = byRole[r][k] + byCandidate[i][k] + (outSince[r] == null ? 0 : whileOut[k] - outSince[r][k]);
                refusals.add(c.framework(), c.role(), reason, (int) n);
            }
        }
    }
}
