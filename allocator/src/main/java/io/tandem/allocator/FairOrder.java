package io.tandem.allocator;

import io.tandem.model.Resources;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;
import java.util.function.IntPredicate;

/**
 * One pass's candidates in {@link FairShare}'s order, cheap to ask again after every grant. When no candidate
 * role lies below another ("flat" roles, the common case), each candidate's place is the key
 * {@code (lacks guarantee first, role share, role name, framework share, framework name)}; the parts are cached
 * and only the granted candidate's are recomputed; roles are kept sorted by their part of the key and each
 * role's candidates by theirs, so {@link #first} walks from the front and stops at the first candidate not
 * skipped, instead of building sorter clients for everyone. With nested roles it asks {@link FairShare#pick} each time. Shares are over the
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
    /** Each candidate's framework name and each role's name as a rank in name order: ties compare ints, not text. */
    private final int[] nameRank;
    private final int[] roleRank;
    private final Map<Candidate, Integer> index = new HashMap<>();
    /** Flat roles only: roles by (lacks guarantee first, share, name); each role's candidates by (share, name). */
    private final NavigableSet<Integer> roleOrder = new TreeSet<>(this::compareRoles);
    private final List<NavigableSet<Integer>> members = new ArrayList<>();

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
        nameRank = ranks(this.candidates.stream().map(c -> c.framework().value()).toList());
        roleRank = ranks(roles);
        roleShare = new double[roles.size()];
        lacking = new boolean[roles.size()];
        for (int r = 0; r < roles.size(); r++) {
            refreshRole(r);
            members.add(new TreeSet<>(this::compareCandidates));
        }
        if (flat) {
            for (int i = 0; i < candidates.size(); i++) {
                members.get(roleOf[i]).add(i);
            }
            for (int r = 0; r < roles.size(); r++) {
                roleOrder.add(r);
            }
        }
    }

    /** names.get(i)'s place among the names in name order; equal names get equal ranks. */
    private static int[] ranks(List<String> names) {
        List<String> sorted = names.stream().distinct().sorted().toList();
        Map<String, Integer> place = new HashMap<>();
        for (int k = 0; k < sorted.size(); k++) {
            place.put(sorted.get(k), k);
        }
        return names.stream().mapToInt(place::get).toArray();
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

    /**
     * The most deserving candidate that neither {@code skipRole} (given a role number) nor {@code skip} rejects;
     * -1 if there is none.
     */
    int first(IntPredicate skipRole, IntPredicate skip) {
        if (!flat) {
            List<Candidate> left = new ArrayList<>();
            for (int i = 0; i < candidates.size(); i++) {
                if (!skipRole.test(roleOf[i]) && !skip.test(i)) {
                    left.add(candidates.get(i));
                }
            }
            return left.isEmpty() ? -1 : index.get(fairShare.pick(left, total));
        }
        for (int r : roleOrder) {
            if (!skipRole.test(r)) {
                for (int i : members.get(r)) {
                    if (!skip.test(i)) {
                        return i;
                    }
                }
            }
        }
        return -1;
    }

    int first(IntPredicate skip) {
        return first(r -> false, skip);
    }

    /** Leaves the candidate out of {@link #first} for the rest of the pass. */
    void remove(int i) {
        if (flat) {
            NavigableSet<Integer> of = members.get(roleOf[i]);
            of.remove(i);
            if (of.isEmpty()) {
                roleOrder.remove(roleOf[i]);
            }
        }
    }

    /** Leaves all of the role's candidates out of {@link #first} for the rest of the pass. */
    void removeRole(int r) {
        if (flat) {
            roleOrder.remove(r);
        }
    }

    private int compareRoles(int ri, int rj) {
        if (lacking[ri] != lacking[rj]) {
            return lacking[ri] ? -1 : 1;
        }
        int byShare = Double.compare(roleShare[ri], roleShare[rj]);
        return byShare != 0 ? byShare : Integer.compare(roleRank[ri], roleRank[rj]);
    }

    private int compareCandidates(int i, int j) {
        int byShare = Double.compare(share[i], share[j]);
        return byShare != 0 ? byShare : Integer.compare(nameRank[i], nameRank[j]);
    }

    /** After candidate {@code i} was granted something: its share and its role's share and guarantee changed. */
    void granted(int i) {
        int r = roleOf[i];
        boolean listed = flat && members.get(r).remove(i);
        boolean roleListed = flat && roleOrder.remove(r);
        share[i] = fairShare.frameworkShare(candidates.get(i), total);
        if (roles.size() > 1) {
            refreshRole(r);   // a lone role's share and guarantee order nothing: not worth asking again
        }
        if (listed) {
            members.get(r).add(i);
        }
        if (roleListed) {
            roleOrder.add(r);
        }
    }
}
