package io.tandem.model;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * An immutable bag of resources, keyed by (name, role): {@code cpus:4;mem:8192;cpus(prod):2} holds
 * four unreserved CPUs and two reserved for role {@code prod}.
 *
 * <p>Contracts: one value per (name, role), never an empty one, and one kind of value per name
 * (cpus is always a scalar). {@code a.plus(b).minus(b).equals(a)}; {@code a.contains(b)} exactly when
 * {@code a.minus(b)} succeeds. {@link #toString()} is the text {@link #parse} reads.
 */
public final class Resources {
    private static final Resources EMPTY = new Resources(new TreeMap<>());

    /** Sorted by name, then role; {@code "*"} sorts before any role name. */
    private record Key(String name, String role) implements Comparable<Key> {
        @Override
        public int compareTo(Key o) {
            int byName = name.compareTo(o.name);
            return byName != 0 ? byName : role.compareTo(o.role);
        }
    }

    private final SortedMap<Key, Value> values;

    private Resources(SortedMap<Key, Value> values) {
        this.values = values;
    }

    public static Resources empty() {
        return EMPTY;
    }

    public static Resources of(Resource... resources) {
        return of(List.of(resources));
    }

    /** Sums the resources; two of the same (name, role) add up. */
    public static Resources of(Collection<Resource> resources) {
        TreeMap<Key, Value> sum = new TreeMap<>();
        for (Resource r : resources) {
            add(sum, r);
        }
        return wrap(sum);
    }

    /**
     * Parses {@code "cpus:4;mem:8192;disk:20000;ports:[31000-32000,33000-33001];zones:{a,b};cpus(prod):2"}.
     * A blank spec is empty; repeated entries add up; zero amounts are dropped.
     *
     * @throws IllegalArgumentException naming the bad token, e.g.
     *     {@code malformed resource 'cpus:-1': cpus must be a non-negative number}
     */
    public static Resources parse(String spec) {
        Objects.requireNonNull(spec, "spec");
        TreeMap<Key, Value> sum = new TreeMap<>();
        for (String token : SpecParser.tokens(spec)) {
            try {
                add(sum, parseOne(token));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("malformed resource '" + token + "': " + e.getMessage(), e);
            }
        }
        return wrap(sum);
    }

    private static Resource parseOne(String token) {
        int colon = token.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("expected name:value or name(role):value");
        }
        String head = token.substring(0, colon).strip();
        String text = token.substring(colon + 1).strip();
        String name = head;
        String role = Resource.UNRESERVED;
        int paren = head.indexOf('(');
        if (paren >= 0) {
            if (!head.endsWith(")")) {
                throw new IllegalArgumentException("expected name(role), got '" + head + "'");
            }
            name = head.substring(0, paren).strip();
            role = head.substring(paren + 1, head.length() - 1).strip();
        }
        Names.requireName(name);
        Names.requireRole(role);
        return new Resource(name, role, parseValue(name, text));
    }

    private static Value parseValue(String name, String text) {
        if (SpecParser.isRanges(text)) {
            return SpecParser.ranges(text);
        }
        if (SpecParser.isSet(text)) {
            return SpecParser.set(text);
        }
        if (SpecParser.isNumeric(text)) {
            return SpecParser.scalar(name, text);
        }
        throw new IllegalArgumentException("unknown value '" + text + "' (expected a number, [ranges] or {set})");
    }

    private static void add(Map<Key, Value> into, Resource r) {
        Value existing = sameName(into, r.name());
        if (existing != null && !existing.kind().equals(r.value().kind())) {
            throw new IllegalArgumentException("'" + r.name() + "' is a " + existing.kind()
                    + " resource here but a " + r.value().kind() + " there");
        }
        into.merge(new Key(r.name(), r.role()), r.value(), Value::plus);
    }

    private static Value sameName(Map<Key, Value> in, String name) {
        for (var e : in.entrySet()) {
            if (e.getKey().name().equals(name)) {
                return e.getValue();
            }
        }
        return null;
    }

    private static Resources wrap(TreeMap<Key, Value> map) {
        map.values().removeIf(Value::isEmpty);
        return map.isEmpty() ? EMPTY : new Resources(Collections.unmodifiableSortedMap(map));
    }

    /** @throws IllegalArgumentException if a name has different kinds of value on the two sides */
    public Resources plus(Resources other) {
        if (other.isEmpty()) {
            return this;
        }
        TreeMap<Key, Value> sum = new TreeMap<>(values);
        for (var e : other.values.entrySet()) {
            add(sum, new Resource(e.getKey().name(), e.getKey().role(), e.getValue()));
        }
        return wrap(sum);
    }

    /** @throws IllegalArgumentException if {@code other} is not {@link #contains contained} in this */
    public Resources minus(Resources other) {
        if (!contains(other)) {
            throw new IllegalArgumentException("cannot subtract '" + other + "' from '" + this + "': not contained");
        }
        TreeMap<Key, Value> rest = new TreeMap<>(values);
        for (var e : other.values.entrySet()) {
            rest.computeIfPresent(e.getKey(), (k, have) -> have.minus(e.getValue()));
        }
        return wrap(rest);
    }

    /** True if every (name, role) of {@code other} is here with at least as much, of the same kind. */
    public boolean contains(Resources other) {
        for (var e : other.values.entrySet()) {
            Value have = values.get(e.getKey());
            if (have == null || !have.contains(e.getValue())) {
                return false;
            }
        }
        return true;
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    /** The total of scalar resource {@code name} over all roles; 0 if absent or not a scalar. */
    public double scalar(String name) {
        long total = 0;
        for (var e : values.entrySet()) {
            if (e.getKey().name().equals(name) && e.getValue() instanceof Value.Scalar s) {
                total += s.thousandths();
            }
        }
        return total / 1000.0;
    }

    /** Every scalar resource's total over all roles, by name in name order: what fair-share policies compare. */
    public Map<String, Double> scalars() {
        Map<String, Long> totals = new LinkedHashMap<>();
        for (var e : values.entrySet()) {
            if (e.getValue() instanceof Value.Scalar s) {
                totals.merge(e.getKey().name(), s.thousandths(), Long::sum);
            }
        }
        Map<String, Double> out = new LinkedHashMap<>();
        totals.forEach((name, thousandths) -> out.put(name, thousandths / 1000.0));
        return Collections.unmodifiableMap(out);
    }

    /** The union over all roles of ranges resource {@code name}; empty if absent or not ranges. */
    public Value.Ranges ranges(String name) {
        Value.Ranges union = Value.Ranges.NONE;
        for (var e : values.entrySet()) {
            if (e.getKey().name().equals(name) && e.getValue() instanceof Value.Ranges r) {
                union = union.plus(r);
            }
        }
        return union;
    }

    /** The union over all roles of set resource {@code name}; empty if absent or not a set. */
    public Set<String> set(String name) {
        TreeSet<String> union = new TreeSet<>();
        for (var e : values.entrySet()) {
            if (e.getKey().name().equals(name) && e.getValue() instanceof Value.ValueSet s) {
                union.addAll(s.items());
            }
        }
        return Collections.unmodifiableSet(union);
    }

    /** One {@link Resource} per (name, role), sorted by name then role. */
    public List<Resource> list() {
        List<Resource> out = new ArrayList<>(values.size());
        values.forEach((k, v) -> out.add(new Resource(k.name(), k.role(), v)));
        return Collections.unmodifiableList(out);
    }

    public Set<String> names() {
        Set<String> out = new LinkedHashSet<>();
        values.keySet().forEach(k -> out.add(k.name()));
        return Collections.unmodifiableSet(out);
    }

    /** The roles present, {@code "*"} included when there are unreserved resources. */
    public Set<String> roles() {
        Set<String> out = new TreeSet<>();
        values.keySet().forEach(k -> out.add(k.role()));
        return Collections.unmodifiableSet(out);
    }

    public Resources filter(Predicate<Resource> keep) {
        TreeMap<Key, Value> out = new TreeMap<>();
        values.forEach((k, v) -> {
            if (keep.test(new Resource(k.name(), k.role(), v))) {
                out.put(k, v);
            }
        });
        return out.size() == values.size() ? this : wrap(out);
    }

    public Resources unreserved() {
        return filter(r -> !r.isReserved());
    }

    /** Resources reserved for exactly {@code role}. */
    public Resources reservedFor(String role) {
        Names.requireRole(role);
        return filter(r -> r.role().equals(role));
    }

    /**
     * What a framework in {@code role} may be offered: unreserved resources plus those reserved for the
     * role or one of its ancestors (as in Mesos, "eng/prod" may use what is reserved for "eng").
     */
    public Resources usableBy(String role) {
        Names.requireRole(role);
        return filter(r -> !r.isReserved() || Names.isWithin(role, r.role()));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Resources other && values.equals(other.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    /** {@code cpus:4;cpus(prod):2;mem:8192;ports:[31000-32000]}; the empty bag prints as "". */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        values.forEach((k, v) -> {
            if (!out.isEmpty()) {
                out.append(';');
            }
            out.append(new Resource(k.name(), k.role(), v));
        });
        return out.toString();
    }
}
