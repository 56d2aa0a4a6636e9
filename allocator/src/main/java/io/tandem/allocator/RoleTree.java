package io.tandem.allocator;

import io.tandem.allocator.sorter.Client;
import io.tandem.allocator.sorter.Sorter;
import io.tandem.model.Resource;
import io.tandem.model.Resources;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Role weights, and the hierarchical choice of the most deserving role, as Mesos's hierarchical sorter
 * makes it: the role tree is sorted level by level. At each level the siblings that lead to a candidate
 * role compete with the share of everything allocated in their subtree and their own weight; a role that
 * is itself a candidate and also has candidate children competes as a leaf beside them (Mesos's virtual
 * "." child), with its own allocation only. Not thread-safe; owned by the {@link Allocator}.
 */
final class RoleTree {
    private final Map<String, Double> weights = new TreeMap<>();

    /** @throws IllegalArgumentException for a malformed role or a weight that is not positive and finite */
    void setWeight(String role, double weight) {
        Resource.requireValidRole(role);
        requireWeight(role, weight);
        weights.put(role, weight);
    }

    /** Sets all of them or, if one is bad, none. */
    void setWeights(Map<String, Double> newWeights) {
        newWeights.forEach((role, weight) -> {
            Resource.requireValidRole(role);
            requireWeight(role, weight);
        });
        weights.putAll(newWeights);
    }

    private static void requireWeight(String role, double weight) {
        if (!(weight > 0) || Double.isInfinite(weight)) {
            throw new IllegalArgumentException("weight of role '" + role
                    + "' must be a positive finite number, got " + weight);
        }
    }

    double weight(String role) {
        return weights.getOrDefault(role, 1.0);
    }

    /** Only the roles whose weight was set; every other role weighs 1.0. */
    Map<String, Double> weights() {
        return Collections.unmodifiableMap(new TreeMap<>(weights));
    }

    /** True if {@code role} is {@code ancestor} or lies below it ("eng/prod" is below "eng"). */
    static boolean isWithin(String role, String ancestor) {
        return role.equals(ancestor) || role.startsWith(ancestor + "/");
    }

    /**
     * The most deserving of {@code candidates} (non-empty), walking down from the root.
     *
     * @param ownAllocation role -> scalars allocated to exactly that role
     * @param subtreeAllocation role -> scalars allocated to the role and everything below it
     */
    String pick(Collection<String> candidates, Sorter sorter, Resources total,
            Function<String, Resources> ownAllocation, Function<String, Resources> subtreeAllocation) {
        String prefix = null;
        while (true) {
            Map<String, Client> level = new LinkedHashMap<>();
            for (String role : candidates) {
                if (role.equals(prefix)) {
                    level.put(role, new Client(role, ownAllocation.apply(role), weight(role)));
                } else if (prefix == null || role.startsWith(prefix + "/")) {
                    String child = childOf(prefix, role);
                    level.computeIfAbsent(child, c -> new Client(c, subtreeAllocation.apply(c), weight(c)));
                }
            }
            String chosen = sorter.first(level.values(), total).name();
            if (chosen.equals(prefix) || candidates.stream().noneMatch(r -> r.startsWith(chosen + "/"))) {
                return chosen;
            }
            prefix = chosen;
        }
    }

    /** The node one level below {@code prefix} (the root if null) on the way to {@code role}. */
    private static String childOf(String prefix, String role) {
        if (role.equals(Resource.UNRESERVED)) {
            return role;
        }
        int from = prefix == null ? 0 : prefix.length() + 1;
        int slash = role.indexOf('/', from);
        return slash < 0 ? role : role.substring(0, slash);
    }

    static List<String> ancestorsAndSelf(String role) {
        if (role.indexOf('/') < 0) {
            return List.of(role);   // a top-level role (or "*"), the common case: asked about at every grant
        }
        List<String> out = new ArrayList<>();
        if (!role.equals(Resource.UNRESERVED)) {
            for (int i = role.indexOf('/'); i >= 0; i = role.indexOf('/', i + 1)) {
                out.add(role.substring(0, i));
            }
        }
        out.add(role);
        return out;
    }
}
