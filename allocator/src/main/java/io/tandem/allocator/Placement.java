package io.tandem.allocator;

import io.tandem.model.Resource;
import io.tandem.model.Resources;
import io.tandem.model.Value;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Fitting task shapes into what an agent has free. A shape names unreserved amounts; it may be served from
 * resources reserved for the role (taken first, so the unreserved pool stays for everyone) and from
 * unreserved ones. An amount named for a resource the agent has as ranges (ports) is a count: {@code ports:2}
 * is served by the two lowest free ports.
 */
final class Placement {
    private Placement() {}

    /** True if every amount of the shape is covered by {@code usable}, over all of its roles. */
    static boolean fits(Resources shape, Resources usable) {
        // Summed per entry, not per name: a shape's entries are unreserved scalars, one per name.
        for (Resource need : shape.list()) {
            if (need.value() instanceof Value.Scalar s && available(usable, need.name()) < s.thousandths()) {
                return false;
            }
        }
        return true;
    }

    /** In thousandths: the scalar's amount, or for ranges (ports) the count of values, over all roles. */
    static long available(Resources usable, String name) {
        long scalar = usable.scalarThousandths(name);
        return scalar > 0 ? scalar : usable.ranges(name).size() * 1000;
    }

    /** True if the shape counts values of a range resource (ports), which a grant must name one by one. */
    static boolean hasCounts(Resources shape, Resources usable) {
        for (Resource need : shape.list()) {
            if (usable.scalarThousandths(need.name()) == 0 && !usable.ranges(need.name()).isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /** The exact resources to grant for one task of {@code shape} out of {@code usable}; requires {@link #fits}. */
    static Resources carve(Resources shape, Resources usable) {
        List<Resource> out = new ArrayList<>();
        for (Map.Entry<String, Double> need : shape.scalars().entrySet()) {
            long left = Math.round(need.getValue() * 1000);
            if (usable.scalarThousandths(need.getKey()) == 0 && !usable.ranges(need.getKey()).isEmpty()) {
                out.addAll(lowest(usable, need.getKey(), left / 1000));
                continue;
            }
            List<Resource> sources = usable.list().stream()
                    .filter(r -> r.name().equals(need.getKey()) && r.value() instanceof Value.Scalar)
                    .sorted(Comparator.comparing(r -> !r.isReserved())).toList();
            for (Resource source : sources) {
                long take = Math.min(left, ((Value.Scalar) source.value()).thousandths());
                if (take > 0) {
                    out.add(new Resource(source.name(), source.role(), new Value.Scalar(take)));
                    left -= take;
                }
            }
            if (left > 0) {
                throw new IllegalArgumentException("'" + shape + "' does not fit in '" + usable + "'");
            }
        }
        return Resources.of(out);
    }

    /** The {@code count} lowest values of the named ranges (reserved ones first); requires that many. */
    private static List<Resource> lowest(Resources usable, String name, long count) {
        List<Resource> sources = usable.list().stream()
                .filter(r -> r.name().equals(name) && r.value() instanceof Value.Ranges)
                .sorted(Comparator.comparing(r -> !r.isReserved())).toList();
        List<Resource> out = new ArrayList<>();
        long left = count;
        for (Resource source : sources) {
            List<Value.Range> taken = new ArrayList<>();
            for (Value.Range r : ((Value.Ranges) source.value()).ranges()) {
                if (left == 0) {
                    break;
                }
                long take = Math.min(left, r.size());
                taken.add(new Value.Range(r.begin(), r.begin() + take - 1));
                left -= take;
            }
            if (!taken.isEmpty()) {
                out.add(new Resource(name, source.role(), new Value.Ranges(taken)));
            }
        }
        if (left > 0) {
            throw new IllegalArgumentException(count + " " + name + " do not fit in '" + usable + "'");
        }
        return out;
    }

    /**
     * {@code usable} with each scalar named in {@code cap} cut down to at most the cap, reserved resources
     * kept first; with {@code unreservedOnly}, reserved resources are kept whole and only unreserved ones count.
     */
    static Resources cap(Resources usable, Map<String, Double> cap, boolean unreservedOnly) {
        if (cap.isEmpty()) {
            return usable;
        }
        List<Resource> out = new ArrayList<>();
        Map<String, Long> left = new HashMap<>();
        cap.forEach((name, amount) -> left.put(name, Math.max(0, Math.round(amount * 1000))));
        List<Resource> ordered = usable.list().stream().sorted(Comparator.comparing(r -> !r.isReserved())).toList();
        for (Resource r : ordered) {
            Long room = left.get(r.name());
            if (room == null || !(r.value() instanceof Value.Scalar s) || (unreservedOnly && r.isReserved())) {
                out.add(r);
                continue;
            }
            long take = Math.min(room, s.thousandths());
            if (take > 0) {
                out.add(new Resource(r.name(), r.role(), new Value.Scalar(take)));
            }
            left.put(r.name(), room - take);
        }
        return Resources.of(out);
    }

    /**
     * Why a task of {@code shape} fits in none of {@code capacities} (what each agent could ever give the
     * role), or null if it fits in one: {@code a task of cpus:64 fits on no agent; the largest has cpus:32}.
     */
    static String whyItNeverFits(Resources shape, Collection<Resources> capacities) {
        if (capacities.stream().anyMatch(c -> fits(shape, c))) {
            return null;
        }
        String task = "a task of " + shape + " fits on no agent";
        if (capacities.isEmpty()) {
            return task + "; there are no agents";
        }
        for (Map.Entry<String, Double> need : shape.scalars().entrySet()) {
            long largest = capacities.stream().mapToLong(c -> available(c, need.getKey())).max().orElse(0);
            if (largest < Math.round(need.getValue() * 1000)) {
                return task + (largest == 0 ? "; no agent has any " + need.getKey()
                        : "; the largest has " + Resources.of(new Resource(need.getKey(), Resource.UNRESERVED,
                                new Value.Scalar(largest))));
            }
        }
        return task + "; no agent has all of it at once";
    }
}
