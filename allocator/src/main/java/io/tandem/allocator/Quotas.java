package io.tandem.allocator;

import io.tandem.model.Resource;
import io.tandem.model.Resources;
import java.util.ArrayList;
import java.util.Collections;
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

    /** @return warnings: guarantees above what the cluster holds (allowed, as in Mesos, but unmeetable now) */
    List<String> set(String role, Quota quota, Resources clusterScalars) {
        Resource.requireValidRole(role);
        if (role.equals(Resource.UNRESERVED)) {
            throw new IllegalArgumentException("quota cannot be set on the unreserved role '*'");
        }
        byRole.put(role, quota);
        return warnings(role, quota, clusterScalars);
    }

    void remove(String role) {
        byRole.remove(role);
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
     */
    Map<String, Double> setAsideFrom(String role, Function<String, Resources> subtree) {
        Map<String, Double> out = new TreeMap<>();
        byRole.forEach((path, quota) -> {
            if (isTopMostGuarantee(path) && !RoleTree.isWithin(role, path)) {
                Resources used = subtree.apply(path);
                quota.guarantee().scalars().forEach((name, amount) ->
                        out.merge(name, Math.max(0, amount - used.scalar(name)), Double::sum));
            }
        });
        return out;
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
