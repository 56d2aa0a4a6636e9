package io.tandem.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
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
 *
 * <p>Held as an array of {@link Resource}s sorted by (name, role), so that {@code plus}, {@code minus} and
 * {@code contains} are one merge walk over two short arrays and entries that do not change are shared, not
 * rebuilt: the allocator does this arithmetic for every grant (see the allocator's README, "Cost").
 */
public final class Resources {
    private static final Resources EMPTY = new Resources(new Resource[0]);

    /** Sorted by name, then role ({@code "*"} sorts before any role name); no two with the same (name, role). */
    private final Resource[] entries;
    /** {@link #list()}, made on first use; a racy first use makes two equal views, which is harmless. */
    private List<Resource> view;

    private Resources(Resource[] entries) {
        this.entries = entries;
    }

    /** Sorted by name, then role; {@code "*"} sorts before any role name. Used only to build from parts. */
    private record Key(String name, String role) implements Comparable<Key> {
        @Override
        public int compareTo(Key o) {
            int byName = name.compareTo(o.name);
            return byName != 0 ? byName : role.compareTo(o.role);
        }
    }

    public static Resources empty() {
        return EMPTY;
    }

    public static Resources of(Resource... resources) {
        return of(List.of(resources));
    }

    /** Sums the resources; two of the same (name, role) add up. */
    public static Resources of(Collection<Resource> resources) {
        Resource[] given = resources.toArray(new Resource[0]);
        if (isCanonical(given)) {
            return given.length == 0 ? EMPTY : new Resources(given);   // already what we would build: keep it
        }
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
                add(sum, SpecParser.resource(token));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("malformed resource '" + token + "': " + e.getMessage(), e);
            }
        }
        return wrap(sum);
    }

    private static void add(Map<Key, Value> into, Resource r) {
        Value existing = sameName(into, r.name());
        if (existing != null && !existing.kind().equals(r.value().kind())) {
            throw kindMismatch(r.name(), existing, r.value());
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

    private static IllegalArgumentException kindMismatch(String name, Value here, Value there) {
        return new IllegalArgumentException("'" + name + "' is a " + here.kind() + " resource here but a "
                + there.kind() + " there");
    }

    /** Interns names and roles: the same name from different specs is then one object, which compares fastest. */
    private static Resources wrap(TreeMap<Key, Value> map) {
        List<Resource> out = new ArrayList<>(map.size());
        map.forEach((k, v) -> {
            if (!v.isEmpty()) {
                out.add(new Resource(k.name().intern(), k.role().intern(), v));
            }
        });
        return out.isEmpty() ? EMPTY : new Resources(out.toArray(new Resource[0]));
    }

    /** Sorted by (name, role) with no repeats, none empty, one kind per name: the form {@link #entries} holds. */
    private static boolean isCanonical(Resource[] given) {
        for (int i = 0; i < given.length; i++) {
            if (given[i].value().isEmpty()) {
                return false;
            }
            if (i > 0) {
                Resource last = given[i - 1];
                if (compare(last, given[i]) >= 0
                        || (last.name().equals(given[i].name()) && last.value().getClass() != given[i].value().getClass())) {
                    return false;
                }
            }
        }
        return true;
    }

    private static int compare(Resource a, Resource b) {
        int byName = a.name() == b.name() ? 0 : a.name().compareTo(b.name());
        return byName != 0 ? byName : a.role() == b.role() ? 0 : a.role().compareTo(b.role());
    }

    /** @throws IllegalArgumentException if a name has different kinds of value on the two sides */
    public Resources plus(Resources other) {
        if (other.isEmpty()) {
            return this;
        }
        if (isEmpty()) {
            return other;
        }
        Resource[] a = entries;
        Resource[] b = other.entries;
        Resource[] out = new Resource[a.length + b.length];
        int i = 0;
        int j = 0;
        int n = 0;
        while (i < a.length || j < b.length) {
            int order = i == a.length ? 1 : j == b.length ? -1 : compare(a[i], b[j]);
            Resource next = order < 0 ? a[i++] : order > 0 ? b[j++] : sum(a[i++], b[j++]);
            if (n > 0 && out[n - 1].name().equals(next.name()) && out[n - 1].value().getClass() != next.value().getClass()) {
                throw kindMismatch(next.name(), out[n - 1].value(), next.value());
            }
            out[n++] = next;
        }
        return new Resources(n == out.length ? out : Arrays.copyOf(out, n));
    }

    private static Resource sum(Resource a, Resource b) {
        if (a.value().getClass() != b.value().getClass()) {
            throw kindMismatch(a.name(), a.value(), b.value());
        }
        return new Resource(a.name(), a.role(), a.value().plus(b.value()));
    }

    /** @throws IllegalArgumentException if {@code other} is not {@link #contains contained} in this */
    public Resources minus(Resources other) {
        if (!contains(other)) {
            throw new IllegalArgumentException("cannot subtract '" + other + "' from '" + this + "': not contained");
        }
        if (other.isEmpty()) {
            return this;
        }
        if (other == this) {
            return EMPTY;   // common: a whole agent's remainder granted at once
        }
        Resource[] b = other.entries;
        Resource[] out = new Resource[entries.length];
        int j = 0;
        int n = 0;
        for (Resource have : entries) {
            if (j < b.length && compare(have, b[j]) == 0) {
                Value left = have.value().minus(b[j++].value());
                if (!left.isEmpty()) {
                    out[n++] = new Resource(have.name(), have.role(), left);
                }
            } else {
                out[n++] = have;
            }
        }
        return n == 0 ? EMPTY : new Resources(n == out.length ? out : Arrays.copyOf(out, n));
    }

    /** True if every (name, role) of {@code other} is here with at least as much, of the same kind. */
    public boolean contains(Resources other) {
        if (other == this) {
            return true;   // common: a filter refusing exactly what the agent offers again
        }
        Resource[] a = entries;
        int i = 0;
        for (Resource need : other.entries) {
            while (i < a.length && compare(a[i], need) < 0) {
                i++;
            }
            if (i == a.length || (a[i] != need && (compare(a[i], need) != 0 || !a[i].value().contains(need.value())))) {
                return false;
            }
            i++;
        }
        return true;
    }

    public boolean isEmpty() {
        return entries.length == 0;
    }

    /** The total of scalar resource {@code name} over all roles; 0 if absent or not a scalar. */
    public double scalar(String name) {
        return scalarThousandths(name) / 1000.0;
    }

    /** As {@link #scalar}, exactly: in thousandths, as scalars are kept. */
    public long scalarThousandths(String name) {
        long total = 0;
        for (Resource r : entries) {
            if (r.value() instanceof Value.Scalar s && r.name().equals(name)) {
                total += s.thousandths();
            }
        }
        return total;
    }

    /** Every scalar resource's total over all roles, by name in name order: what fair-share policies compare. */
    public Map<String, Double> scalars() {
        Map<String, Double> out = new LinkedHashMap<>();
        int i = 0;
        while (i < entries.length) {
            String name = entries[i].name();
            long thousandths = 0;
            boolean scalar = false;
            for (; i < entries.length && entries[i].name().equals(name); i++) {
                if (entries[i].value() instanceof Value.Scalar s) {
                    thousandths += s.thousandths();
                    scalar = true;
                }
            }
            if (scalar) {
                out.put(name, thousandths / 1000.0);
            }
        }
        return Collections.unmodifiableMap(out);
    }

    /** True if every resource here is an unreserved scalar: the common case that callers may take a shortcut for. */
    public boolean isUnreservedScalars() {
        for (Resource r : entries) {
            if (r.isReserved() || !(r.value() instanceof Value.Scalar)) {
                return false;
            }
        }
        return true;
    }

    /** The union over all roles of ranges resource {@code name}; empty if absent or not ranges. */
    public Value.Ranges ranges(String name) {
        Value.Ranges union = Value.Ranges.NONE;
        for (Resource r : entries) {
            if (r.name().equals(name) && r.value() instanceof Value.Ranges ranges) {
                union = union.plus(ranges);
            }
        }
        return union;
    }

    /** The union over all roles of set resource {@code name}; empty if absent or not a set. */
    public Set<String> set(String name) {
        TreeSet<String> union = new TreeSet<>();
        for (Resource r : entries) {
            if (r.name().equals(name) && r.value() instanceof Value.ValueSet s) {
                union.addAll(s.items());
            }
        }
        return Collections.unmodifiableSet(union);
    }

    /** One {@link Resource} per (name, role), sorted by name then role. */
    public List<Resource> list() {
        List<Resource> v = view;
        if (v == null) {
            v = Collections.unmodifiableList(Arrays.asList(entries));
            view = v;
        }
        return v;
    }

    public Set<String> names() {
        Set<String> out = new LinkedHashSet<>();
        for (Resource r : entries) {
            out.add(r.name());
        }
        return Collections.unmodifiableSet(out);
    }

    /** The roles present, {@code "*"} included when there are unreserved resources. */
    public Set<String> roles() {
        Set<String> out = new TreeSet<>();
        for (Resource r : entries) {
            out.add(r.role());
        }
        return Collections.unmodifiableSet(out);
    }

    public Resources filter(Predicate<Resource> keep) {
        Resource[] out = new Resource[entries.length];
        int n = 0;
        for (Resource r : entries) {
            if (keep.test(r)) {
                out[n++] = r;
            }
        }
        return n == entries.length ? this : n == 0 ? EMPTY : new Resources(Arrays.copyOf(out, n));
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
        return o == this || (o instanceof Resources other && Arrays.equals(entries, other.entries));
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(entries);
    }

    /** {@code cpus:4;cpus(prod):2;mem:8192;ports:[31000-32000]}; the empty bag prints as "". */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        for (Resource r : entries) {
            if (!out.isEmpty()) {
                out.append(';');
            }
            out.append(r);
        }
        return out.toString();
    }
}
