package io.tandem.sdk;

import io.tandem.model.Value;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.Resource;

/**
 * Carves tasks out of one offer. Each successful {@link #take} returns the exact resources to put in a
 * {@code TaskInfo} (copies of the offered entries, with the same role, reservations and
 * {@code allocation_info}, cut to the amount needed) and removes them from what is left, so several
 * tasks can be packed into one offer.
 *
 * <p>Rules, so the master accepts what is built: all of a task's resources come from one allocation
 * role (as Mesos requires of multi-role frameworks); resources reserved for that role are used before
 * unreserved ones; ports are the lowest free ones. Entries that must not be split or need a capability
 * (revocable, shared, persistent volumes, disks with a source, resource-provider resources) are never
 * used. Amounts are counted in thousandths, as Mesos counts them.
 *
 * <p>Not thread-safe; use one per offer on the scheduler's callback thread.
 */
public final class OfferMatcher {
    private final Offer offer;
    private final List<Resource> remaining;

    private OfferMatcher(Offer offer) {
        this.offer = offer;
        this.remaining = new ArrayList<>(offer.getResourcesList().stream().filter(OfferMatcher::usable).toList());
    }

    public static OfferMatcher of(Offer offer) {
        return new OfferMatcher(offer);
    }

    /** One task's placement in a fresh offer. */
    public static Placement match(Offer offer, ResourceNeeds needs) {
        return of(offer).take(needs);
    }

    /** The usable resources not yet taken. */
    public List<Resource> remaining() {
        return List.copyOf(remaining);
    }

    /** Takes {@code needs} from what is left of the offer, or explains why that is not possible. */
    public Placement take(ResourceNeeds needs) {
        List<String> shortfalls = List.of();
        for (String role : allocationRoles()) {
            OfferCut cut = new OfferCut(remaining, role);
            cut.scalar("cpus", needs.cpus());
            cut.scalar("mem", needs.memMb());
            cut.scalar("disk", needs.diskMb());
            cut.ports(needs.ports());
            if (cut.shortfalls().isEmpty()) {
                remaining.clear();
                remaining.addAll(cut.left().stream().filter(r -> !usedUp(r)).toList());
                return Placement.fit(cut.taken(), cut.ports());
            }
            if (shortfalls.isEmpty() || cut.shortfalls().size() < shortfalls.size()) {
                shortfalls = cut.shortfalls();
            }
        }
        return Placement.misfit("offer " + offer.getId().getValue() + " on " + offer.getHostname()
                + (shortfalls.isEmpty() ? " has no usable resources" : " lacks " + String.join(", ", shortfalls)));
    }

    private Set<String> allocationRoles() {
        Set<String> roles = new LinkedHashSet<>();
        for (Resource r : remaining) {
            roles.add(r.hasAllocationInfo() ? r.getAllocationInfo().getRole() : "");
        }
        return roles;
    }

    private static boolean usedUp(Resource r) {
        return (r.hasScalar() && r.getScalar().getValue() <= 0) || (r.hasRanges() && r.getRanges().getRangeCount() == 0);
    }

    private static boolean usable(Resource r) {
        boolean specialDisk = r.hasDisk() && (r.getDisk().hasPersistence() || r.getDisk().hasVolume()
                || r.getDisk().hasSource());
        return !r.hasRevocable() && !r.hasShared() && !r.hasProviderId() && !specialDisk;
    }

    /** One attempt to cut a task out of the resources of one allocation role. */
    private static final class OfferCut {
        private final List<Resource> left;
        private final String role;
        private final List<Resource> taken = new ArrayList<>();
        private final List<Long> ports = new ArrayList<>();
        private final List<String> shortfalls = new ArrayList<>();

        OfferCut(List<Resource> from, String role) {
            this.left = new ArrayList<>(from);
            this.role = role;
        }

        List<Resource> left() {
            return left;
        }

        List<Resource> taken() {
            return taken;
        }

        List<Long> ports() {
            return ports;
        }

        List<String> shortfalls() {
            return shortfalls;
        }

        void scalar(String name, double amount) {
            Value.Scalar need = Value.Scalar.of(amount);
            if (need.isEmpty()) {
                return;
            }
            List<Integer> candidates = candidates(name, Resource::hasScalar);
            Value.Scalar have = Value.Scalar.ZERO;
            for (int i : candidates) {
                have = have.plus(Value.Scalar.of(left.get(i).getScalar().getValue()));
            }
            if (!have.contains(need)) {
                shortfalls.add(name + " (needs " + need.text() + ", has " + have.text() + ")");
                return;
            }
            Value.Scalar missing = need;
            for (int i : candidates) {
                Resource entry = left.get(i);
                Value.Scalar offered = Value.Scalar.of(entry.getScalar().getValue());
                Value.Scalar use = offered.contains(missing) ? missing : offered;
                if (!use.isEmpty()) {
                    taken.add(withScalar(entry, use));
                    left.set(i, withScalar(entry, offered.minus(use)));
                    missing = missing.minus(use);
                }
            }
        }

        void ports(int count) {
            if (count == 0) {
                return;
            }
            List<Integer> candidates = candidates("ports", Resource::hasRanges);
            long have = candidates.stream().mapToLong(i -> ranges(left.get(i)).size()).sum();
            if (have < count) {
                shortfalls.add("ports (needs " + count + ", has " + have + ")");
                return;
            }
            long missing = count;
            for (int i : candidates) {
                Resource entry = left.get(i);
                Value.Ranges picked = lowest(ranges(entry), missing);
                if (!picked.isEmpty()) {
                    taken.add(withRanges(entry, picked));
                    left.set(i, withRanges(entry, ranges(entry).minus(picked)));
                    picked.ranges().forEach(r -> {
                        for (long p = r.begin(); p <= r.end(); p++) {
                            ports.add(p);
                        }
                    });
                    missing -= picked.size();
                }
            }
            ports.sort(Comparator.naturalOrder());
        }

        /** Indexes of this role's entries of {@code name}, reserved ones first (they exist for this role). */
        private List<Integer> candidates(String name, java.util.function.Predicate<Resource> hasValue) {
            List<Integer> reserved = new ArrayList<>();
            List<Integer> unreserved = new ArrayList<>();
            for (int i = 0; i < left.size(); i++) {
                Resource r = left.get(i);
                String allocation = r.hasAllocationInfo() ? r.getAllocationInfo().getRole() : "";
                if (r.getName().equals(name) && allocation.equals(role) && hasValue.test(r)) {
                    (isReserved(r) ? reserved : unreserved).add(i);
                }
            }
            reserved.addAll(unreserved);
            return reserved;
        }

        private static boolean isReserved(Resource r) {
            return r.getReservationsCount() > 0 || r.hasReservation() || (r.hasRole() && !r.getRole().equals("*"));
        }

        private static Value.Ranges lowest(Value.Ranges from, long count) {
            List<Value.Range> picked = new ArrayList<>();
            long missing = count;
            for (Value.Range r : from.ranges()) {
                if (missing == 0) {
                    break;
                }
                long end = Math.min(r.end(), r.begin() + missing - 1);
                picked.add(new Value.Range(r.begin(), end));
                missing -= end - r.begin() + 1;
            }
            return new Value.Ranges(picked);
        }

        private static Value.Ranges ranges(Resource r) {
            return new Value.Ranges(r.getRanges().getRangeList().stream()
                    .map(p -> new Value.Range(p.getBegin(), p.getEnd())).toList());
        }

        private static Resource withScalar(Resource entry, Value.Scalar amount) {
            return entry.toBuilder().setScalar(entry.getScalar().toBuilder().setValue(amount.value())).build();
        }

        private static Resource withRanges(Resource entry, Value.Ranges ranges) {
            org.apache.mesos.v1.Protos.Value.Ranges.Builder b = org.apache.mesos.v1.Protos.Value.Ranges.newBuilder();
            ranges.ranges().forEach(r -> b.addRange(
                    org.apache.mesos.v1.Protos.Value.Range.newBuilder().setBegin(r.begin()).setEnd(r.end())));
            return entry.toBuilder().setRanges(b).build();
        }
    }
}
