package io.tandem.allocator;

import io.tandem.model.Resource;
import io.tandem.model.Resources;
import io.tandem.model.Value;
import java.util.Objects;

/**
 * A role's quota, over unreserved scalar resources, counted on everything allocated to the role and the
 * roles below it.
 *
 * @param guarantee set aside for the role before fair sharing: other roles are not given what the role
 *     would then lack; a resource not named is not guaranteed
 * @param limit never allocated beyond; a resource not named is not limited
 */
public record Quota(Resources guarantee, Resources limit) {
    public Quota {
        Objects.requireNonNull(guarantee, "guarantee");
        Objects.requireNonNull(limit, "limit");
        requireScalars("guarantee", guarantee);
        requireScalars("limit", limit);
        for (var g : guarantee.scalars().entrySet()) {
            if (limit.names().contains(g.getKey()) && limit.scalar(g.getKey()) < g.getValue()) {
                throw new IllegalArgumentException("the limit " + g.getKey() + ":" + number(limit.scalar(g.getKey()))
                        + " is below the guarantee " + g.getKey() + ":" + number(g.getValue()));
            }
        }
    }

    /** E.g. {@code Quota.of("cpus:4", "cpus:8;mem:8192")}. */
    public static Quota of(String guarantee, String limit) {
        return new Quota(Resources.parse(guarantee), Resources.parse(limit));
    }

    private static void requireScalars(String what, Resources resources) {
        for (Resource r : resources.list()) {
            if (r.isReserved() || !(r.value() instanceof Value.Scalar)) {
                throw new IllegalArgumentException("a quota " + what + " holds unreserved scalar resources only, got '"
                        + r + "'");
            }
        }
    }

    private static String number(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }
}
