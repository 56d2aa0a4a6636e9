package io.tandem.allocator;

import io.tandem.model.Resource;
import io.tandem.model.Resources;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Quota per role, and the two questions the allocator asks of it: how much more a role may get under
 * every limit on its path (its own and its ancestors'), and how much must stay free for guarantees that
 * are not met yet. Consumption is everything allocated to the role's subtree (scalars). Not thread-safe;
 * owned by the {@link Allocator}.
 */
final class Quotas {
    private final Map<String, Quota> byRole = new TreeMap<>();
    /**
     * What each top-most guaranteed role still lacks, and the sum over them, in thousandths (exact), as of
     * {@link Allocations} version {@code lackVersion}; kept up to date grant by grant during a round, recomputed
     * in full after any other change.
     */
    private final Map<String, Map<String, Long>> lackByRole = new HashMap<>();
    private final Map<String, Long> totalLack = new TreeMap<>();
    private long lackVersion = -1;

    /** @return warnings: guarantees above what the cluster holds (allowed, as in Mesos, but unmeetable now) */
    List<String> set(String role, Quota quota, Resources clusterScalars) {
        Resource.requireValidRole(role);
        if (role.equals(Resource.UNRESERVED)) {
            throw new IllegalArgumentException("quota cannot be set on the unreserved role '*'");
        }
        byRole.put(role, quota);
        lackVersion = -1;
        return warnings(role, quota, clusterScalars);
    }

    void remove(String role) {
        byRole.remove(role);
        lackVersion = -1;
    }

    boolean isEmpty() {
        return byRole.isEmpty();
    }

    Map<String, Quota> all() {
        return Collections.unmodifiableMap(new TreeMap<>(byRole));
    }

    List<String> warnings(Resources clusterScalars) {
        List<String> out = new ArrayList<>();
        byRole.forEach((role, quota) -> out.addAll(warnings(role, quota, clusterScalars)));
        return out;
    }

    private static List<String> warnings(String role, Quota quota, Resources clusterScalars) {
        List<String> out = new ArrayList<>();
        quota.guarantee().scalars().forEach((name, amount) -> {
            if (amount > clusterScalars.scalar(name)) {
                out.add("the guarantee of role '" + role + "' " + scalar(name, amount) + " exceeds the cluster's total "
                        + scalar(name, clusterScalars.scalar(name)) + "; it cannot be met until agents join");
            }
        });
        return out;
    }

    /**
     * Per scalar name, how much more {@code role} may be given under every limit on its path; a name
     * absent is not limited.
     *
     * @param subtree role -> scalars allocated to it and below it
     */
    Map<String, Double> limitHeadroom(String role, Function<String, Resources> subtree) {
        Map<String, Double> room = new TreeMap<>();
        for (String path : RoleTree.ancestorsAndSelf(role)) {
            Quota quota = byRole.get(path);
            if (quota != null) {
                Resources used = subtree.apply(path);
                quota.limit().scalars().forEach((name, limit) ->
                        room.merge(name, Math.max(0, limit - used.scalar(name)), Math::min));
            }
        }
        return room;
    }

    /**
     * Per scalar name, what the top-most guaranteed roles still lack, except those on {@code role}'s path
     * (what a role gets counts toward its own guarantee): what must stay free when {@code role} is served.
     *
     * @param version the {@link Allocations} version {@code subtree} reads
     */
    Map<String, Double> setAsideFrom(String role, Function<String, Resources> subtree, long version) {
        if (version != lackVersion) {
            recomputeLack(subtree, version);
        }
        Map<String, Long> sum = new TreeMap<>(totalLack);
        for (String path : RoleTree.ancestorsAndSelf(role)) {
            Map<String, Long> own = lackByRole.get(path);
            if (own != null) {
                own.forEach((name, lack) -> sum.merge(name, -lack, Long::sum));
            }
        }
        Map<String, Double> out = new TreeMap<>();
        sum.forEach((name, thousandths) -> out.put(name, thousandths / 1000.0));
        return out;
    }

    private void recomputeLack(Function<String, Resources> subtree, long version) {
        lackByRole.clear();
        totalLack.clear();
        byRole.keySet().stream().filter(this::isTopMostGuarantee).forEach(path -> {
            Map<String, Long> lack = lack(path, subtree);
            lackByRole.put(path, lack);
            lack.forEach((name, amount) -> totalLack.merge(name, amount, Long::sum));
        });
        lackVersion = version;
    }

    private Map<String, Long> lack(String path, Function<String, Resources> subtree) {
        Resources used = subtree.apply(path);
        Map<String, Long> out = new HashMap<>();
        byRole.get(path).guarantee().scalars().forEach((name, amount) ->
                out.put(name, Math.max(0, Math.round(amount * 1000) - Math.round(used.scalar(name) * 1000))));
        return out;
    }

    /**
     * After something was allocated to {@code role}, taking the allocations from {@code before} to {@code after}:
     * only the guarantees on the role's path can lack less.
     */
    void allocated(String role, Function<String, Resources> subtree, long before, long after) {
        if (lackVersion != before) {
            return;   // stale anyway: recomputed when next asked
        }
        for (String path : RoleTree.ancestorsAndSelf(role)) {
            Map<String, Long> old = lackByRole.get(path);
            if (old != null) {
                Map<String, Long> now = lack(path, subtree);
                now.forEach((name, amount) -> totalLack.merge(name, amount - old.getOrDefault(name, 0L), Long::sum));
                lackByRole.put(path, now);
            }
        }
        lackVersion = after;
    }

    /** True if a guarantee on the role's path is not met yet: such roles are served before the others. */
    boolean lacksGuarantee(String role, Function<String, Resources> subtree) {
        for (String path : RoleTree.ancestorsAndSelf(role)) {
            Quota quota = byRole.get(path);
            if (quota != null) {
                Resources used = subtree.apply(path);
                if (quota.guarantee().scalars().entrySet().stream()
                        .anyMatch(g -> used.scalar(g.getKey()) < g.getValue())) {
                    return true;
                }
            }
        }
        return false;
    }

    private boolean isTopMostGuarantee(String role) {
        if (byRole.get(role).guarantee().isEmpty()) {
            return false;
        }
        return RoleTree.ancestorsAndSelf(role).stream()
                .noneMatch(p -> !p.equals(role) && byRole.containsKey(p) && !byRole.get(p).guarantee().isEmpty());
    }

    private static String scalar(String name, double amount) {
        return Resource.scalar(name, amount).toString();
    }
}
