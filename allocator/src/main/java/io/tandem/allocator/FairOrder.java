package io.tandem.allocator;

import io.tandem.model.Resources;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;

/**
 * One pass's candidates in {@link FairShare}'s order, cheap to ask again after every grant. When no candidate
 * role lies below another ("flat" roles, the common case), each candidate's place is the key
 * {@code (lacks guarantee first, role share, role name, framework share, framework name)}; the parts are cached
 * and only the granted candidate's are recomputed, so {@link #first} is a scan over numbers instead of building
 * sorter clients for everyone. With nested roles it asks {@link FairShare#pick} each time. Shares are over the
 * cluster's total, which a round does not change. Owned by the {@link Allocator}, for one pass.
 */
final class FairOrder {
    private final FairShare fairShare;
    private final Resources total;
    private final List<Candidate> candidates;
    private final boolean flat;
    private final int[] roleOf;
    private final List<String> roles = new ArrayList<>();
    private final double[] roleShare;
    private final boolean[] lacking;
    private final double[] share;
    private final Map<Candidate, Integer> index = new HashMap<>();

    FairOrder(FairShare fairShare, List<Candidate> candidates, Resources total) {
        this.fairShare = fairShare;
        this.total = total;
        this.candidates = List.copyOf(candidates);
        Map<String, Integer> roleIndex = new HashMap<>();
        roleOf = new int[candidates.size()];
        share = new double[candidates.size()];
        for (int i = 0; i < candidates.size(); i++) {
            Candidate c = candidates.get(i);
            index.put(c, i);
            roleOf[i] = roleIndex.computeIfAbsent(c.role(), r -> {
                roles.add(r);
                return roles.size() - 1;
            });
            share[i] = fairShare.frameworkShare(c, total);
        }
        flat = roles.stream().noneMatch(r -> r.contains("/"));
        roleShare = new double[roles.size()];
        lacking = new boolean[roles.size()];
        for (int r = 0; r < roles.size(); r++) {
            refreshRole(r);
        }
    }

    private void refreshRole(int r) {
        roleShare[r] = fairShare.roleShare(roles.get(r), total);
        lacking[r] = fairShare.lacksGuarantee(roles.get(r));
    }

    int size() {
        return candidates.size();
    }

    Candidate get(int i) {
        return candidates.get(i);
    }

    int indexOf(Candidate c) {
        return index.getOrDefault(c, -1);
    }

    int roleOf(int i) {
        return roleOf[i];
    }

    int roleCount() {
        return roles.size();
    }

    String role(int r) {
        return roles.get(r);
    }

    /** The most deserving candidate that {@code skip} does not reject; -1 if there is none. */
    int first(IntPredicate skip) {
        if (!flat) {
            List<Candidate> left = new ArrayList<>();
            for (int i = 0; i < candidates.size(); i++) {
                if (!skip.test(i)) {
                    left.add(candidates.get(i));
                }
            }
            return left.isEmpty() ? -1 : index.get(fairShare.pick(left, total));
        }
        int best = -1;
        for (int i = 0; i < candidates.size(); i++) {
            if (!skip.test(i) && (best < 0 || before(i, best))) {
                best = i;
            }
        }
        return best;
    }

    private boolean before(int i, int j) {
        int ri = roleOf[i];
        int rj = roleOf[j];
        if (ri != rj) {
            if (lacking[ri] != lacking[rj]) {
                return lacking[ri];
            }
            if (roleShare[ri] != roleShare[rj]) {
                return roleShare[ri] < roleShare[rj];
            }
            return roles.get(ri).compareTo(roles.get(rj)) < 0;
        }
        if (share[i] != share[j]) {
            return share[i] < share[j];
        }
        return candidates.get(i).framework().value().compareTo(candidates.get(j).framework().value()) < 0;
    }

    /** After candidate {@code i} was granted something: its share and its role's share and guarantee changed. */
    void granted(int i) {
        share[i] = fairShare.frameworkShare(candidates.get(i), total);
        refreshRole(roleOf[i]);
    }
}
