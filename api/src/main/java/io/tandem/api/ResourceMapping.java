package io.tandem.api;

import io.tandem.model.AttributeValue;
import io.tandem.model.Attributes;
import io.tandem.model.Resource;
import io.tandem.model.Resources;
import io.tandem.model.Value;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.mesos.v1.Protos;

/**
 * Converts between the {@code model} types and Mesos v1 {@code Resource} / {@code Attribute} messages.
 *
 * <p>Roles: a resource's role is the role of its last (most refined) entry in {@code reservations}, or
 * else the deprecated {@code role} field, or else {@code "*"}. Going out, reservations are written in
 * the refined ({@code reservations}) form as {@code STATIC}, or in the pre-refinement form (the
 * {@code role} field) for those who ask (see {@link Format}); {@code allocation_info} is added when
 * an allocation role is given and ignored coming in (the master knows whom it offered what).
 *
 * <p>Tandem does not model persistent volumes, disk sources, revocable or shared resources, so
 * resources carrying them are refused rather than silently stripped. Stateless and thread-safe.
 */
public final class ResourceMapping {

    private ResourceMapping() {}

    /**
     * Sums Mesos resources into {@link Resources}.
     *
     * @throws IllegalArgumentException naming the resource and the reason: a negative, NaN or infinite
     *     scalar, a missing value for the type, an unknown or text type, an empty name, an invalid role,
     *     overlapping ranges or repeated set items, or an unsupported feature
     */
    public static Resources fromMesos(List<Protos.Resource> resources) {
        List<Resource> converted = new ArrayList<>(resources.size());
        // Overlap across entries of one (name, role) would be merged away by the union; it means the
        // same port was named twice, which Mesos rejects, so catch it before summing.
        Map<String, Value> seen = new HashMap<>();
        for (int i = 0; i < resources.size(); i++) {
            Resource r = fromMesos(resources.get(i), i);
            String key = r.name() + "(" + r.role() + ")";
            Value before = seen.get(key);
            if (before != null && overlaps(before, r.value())) {
                throw invalid(resources.get(i), i, "overlaps another '" + r.name() + "' resource: "
                        + before.text() + " and " + r.value().text());
            }
            seen.merge(key, r.value(), Value::plus);
            converted.add(r);
        }
        return Resources.of(converted);
    }

    private static boolean overlaps(Value a, Value b) {
        return switch (a) {
            case Value.Ranges ra when b instanceof Value.Ranges rb ->
                    ra.ranges().stream().anyMatch(x -> rb.ranges().stream().anyMatch(x::overlaps));
            case Value.ValueSet sa when b instanceof Value.ValueSet sb ->
                    sb.items().stream().anyMatch(sa.items()::contains);
            default -> false;
        };
    }

    private static Resource fromMesos(Protos.Resource r, int index) {
        if (r.getName().isBlank()) {
            throw invalid(r, index, "name must not be empty");
        }
        if (r.hasRevocable() || r.hasShared() || r.hasProviderId()
                || (r.hasDisk() && (r.getDisk().hasPersistence() || r.getDisk().hasVolume()
                        || r.getDisk().hasSource()))) {
            throw invalid(r, index, "revocable, shared, provider and disk-info resources are not supported");
        }
        try {
            return new Resource(r.getName(), role(r), value(r));
        } catch (IllegalArgumentException e) {
            throw invalid(r, index, e.getMessage());
        }
    }

    @SuppressWarnings("deprecation") // the pre-refinement `role` field is still what older frameworks send
    private static String role(Protos.Resource r) {
        if (r.getReservationsCount() > 0) {
            return r.getReservations(r.getReservationsCount() - 1).getRole();
        }
        return r.hasRole() && !r.getRole().isEmpty() ? r.getRole() : Resource.UNRESERVED;
    }

    private static Value value(Protos.Resource r) {
        if (!r.hasType()) {
            throw new IllegalArgumentException("missing type (SCALAR, RANGES or SET)");
        }
        return switch (r.getType()) {
            case SCALAR -> {
                require(r.hasScalar(), "type SCALAR but no scalar value");
                yield scalar(r.getScalar());
            }
            case RANGES -> {
                require(r.hasRanges(), "type RANGES but no ranges value");
                yield ranges(r.getRanges(), true);
            }
            case SET -> {
                require(r.hasSet(), "type SET but no set value");
                List<String> items = r.getSet().getItemList();
                require(new TreeSet<>(items).size() == items.size(), "set " + items + " repeats an item");
                yield new Value.ValueSet(new TreeSet<>(items));
            }
            case TEXT -> throw new IllegalArgumentException("type TEXT is not a resource type");
        };
    }

    private static Value.Scalar scalar(Protos.Value.Scalar s) {
        double v = s.getValue();
        require(!Double.isNaN(v) && !Double.isInfinite(v) && v >= 0,
                "scalar must be a non-negative finite number, got " + v);
        return Value.Scalar.of(v);
    }

    private static Value.Ranges ranges(Protos.Value.Ranges proto, boolean refuseOverlap) {
        List<Value.Range> ranges = new ArrayList<>();
        for (Protos.Value.Range p : proto.getRangeList()) {
            // uint64 on the wire: values past Long.MAX_VALUE arrive negative.
            require(p.getBegin() >= 0 && p.getEnd() >= 0, "range values must be below 2^63");
            require(p.getBegin() <= p.getEnd(), "range " + p.getBegin() + "-" + p.getEnd() + " begins after it ends");
            Value.Range range = new Value.Range(p.getBegin(), p.getEnd());
            if (refuseOverlap) {
                for (Value.Range other : ranges) {
                    require(!other.overlaps(range), "ranges " + other + " and " + range + " overlap");
                }
            }
            ranges.add(range);
        }
        return new Value.Ranges(ranges);
    }

    private static void require(boolean ok, String reason) {
        if (!ok) {
            throw new IllegalArgumentException(reason);
        }
    }

    private static IllegalArgumentException invalid(Protos.Resource r, int index, String reason) {
        return new IllegalArgumentException("invalid resource #" + index + " '" + r.getName() + "': " + reason);
    }

    /**
     * How reservations are written, as Mesos's {@code convertResourceFormat} does. Tandem has static
     * reservations only, so the pre-refinement {@code reservation} field (dynamic reservations) is
     * never written.
     */
    public enum Format {
        /** {@code reservations} (a stack, here of one STATIC entry); no {@code role}. The operator API's form. */
        POST_RESERVATION_REFINEMENT,
        /**
         * The deprecated {@code role} on every resource ({@code "*"} when unreserved) and no
         * {@code reservations}: what frameworks without the RESERVATION_REFINEMENT capability understand.
         */
        PRE_RESERVATION_REFINEMENT
    }

    /**
     * One Mesos resource per (name, role), in the post-refinement format.
     *
     * @param allocationRole the role the resources are offered to or used under, written as
     *     {@code allocation_info.role}; {@code null} writes no allocation_info
     */
    public static List<Protos.Resource> toMesos(Resources resources, String allocationRole) {
        return toMesos(resources, allocationRole, Format.POST_RESERVATION_REFINEMENT);
    }

    /** As {@link #toMesos(Resources, String)}, with reservations written in {@code format}. */
    public static List<Protos.Resource> toMesos(Resources resources, String allocationRole, Format format) {
        List<Protos.Resource> out = new ArrayList<>();
        for (Resource r : resources.list()) {
            out.add(toMesos(r, allocationRole, format));
        }
        return out;
    }

    public static Protos.Resource toMesos(Resource r, String allocationRole) {
        return toMesos(r, allocationRole, Format.POST_RESERVATION_REFINEMENT);
    }

    @SuppressWarnings("deprecation") // `role` is the pre-refinement format's field
    public static Protos.Resource toMesos(Resource r, String allocationRole, Format format) {
        Protos.Resource.Builder b = Protos.Resource.newBuilder().setName(r.name());
        switch (r.value()) {
            case Value.Scalar s -> b.setType(Protos.Value.Type.SCALAR).setScalar(scalar(s));
            case Value.Ranges rs -> b.setType(Protos.Value.Type.RANGES).setRanges(ranges(rs));
            case Value.ValueSet vs -> b.setType(Protos.Value.Type.SET)
                    .setSet(Protos.Value.Set.newBuilder().addAllItem(vs.items()));
        }
        if (format == Format.PRE_RESERVATION_REFINEMENT) {
            b.setRole(r.role());
        } else if (r.isReserved()) {
            b.addReservations(Protos.Resource.ReservationInfo.newBuilder()
                    .setType(Protos.Resource.ReservationInfo.Type.STATIC).setRole(r.role()));
        }
        if (allocationRole != null) {
            b.setAllocationInfo(Protos.Resource.AllocationInfo.newBuilder().setRole(allocationRole));
        }
        return b.build();
    }

    private static Protos.Value.Scalar scalar(Value.Scalar s) {
        return Protos.Value.Scalar.newBuilder().setValue(s.value()).build();
    }

    private static Protos.Value.Ranges ranges(Value.Ranges rs) {
        Protos.Value.Ranges.Builder b = Protos.Value.Ranges.newBuilder();
        rs.ranges().forEach(r -> b.addRange(Protos.Value.Range.newBuilder().setBegin(r.begin()).setEnd(r.end())));
        return b.build();
    }

    /**
     * @throws IllegalArgumentException naming the attribute: empty or repeated name, missing value,
     *     negative or non-finite scalar, SET type (not an attribute type in Tandem)
     */
    public static Attributes attributesFromMesos(List<Protos.Attribute> attributes) {
        Map<String, AttributeValue> out = new LinkedHashMap<>();
        for (Protos.Attribute a : attributes) {
            try {
                require(!a.getName().isBlank(), "name must not be empty");
                require(!out.containsKey(a.getName()), "given twice");
                out.put(a.getName(), attributeValue(a));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("invalid attribute '" + a.getName() + "': " + e.getMessage(), e);
            }
        }
        return Attributes.of(out);
    }

    private static AttributeValue attributeValue(Protos.Attribute a) {
        require(a.hasType(), "missing type (TEXT, SCALAR or RANGES)");
        return switch (a.getType()) {
            case TEXT -> {
                require(a.hasText(), "type TEXT but no text value");
                yield new AttributeValue.Text(a.getText().getValue());
            }
            case SCALAR -> {
                require(a.hasScalar(), "type SCALAR but no scalar value");
                yield scalar(a.getScalar());
            }
            case RANGES -> {
                require(a.hasRanges(), "type RANGES but no ranges value");
                yield ranges(a.getRanges(), false);
            }
            case SET -> throw new IllegalArgumentException("SET attributes are not supported");
        };
    }

    public static List<Protos.Attribute> attributesToMesos(Attributes attributes) {
        List<Protos.Attribute> out = new ArrayList<>();
        attributes.asMap().forEach((name, value) -> {
            Protos.Attribute.Builder b = Protos.Attribute.newBuilder().setName(name);
            switch (value) {
                case AttributeValue.Text t -> b.setType(Protos.Value.Type.TEXT)
                        .setText(Protos.Value.Text.newBuilder().setValue(t.value()));
                case Value.Scalar s -> b.setType(Protos.Value.Type.SCALAR).setScalar(scalar(s));
                case Value.Ranges rs -> b.setType(Protos.Value.Type.RANGES).setRanges(ranges(rs));
            }
            out.add(b.build());
        });
        return out;
    }
}
