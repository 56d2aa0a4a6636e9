package io.tandem.model;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The quantity of one resource: a {@link Scalar} (cpus, mem), {@link Ranges} (ports) or a {@link ValueSet}.
 *
 * <p>Values of the same kind add and subtract; mixing kinds is an {@link IllegalArgumentException}.
 * Every value is immutable; an empty value (zero, no ranges, no items) is dropped by {@link Resources}.
 */
public sealed interface Value permits Value.Scalar, Value.Ranges, Value.ValueSet {

    boolean isEmpty();

    /** @throws IllegalArgumentException if {@code other} is of another kind */
    Value plus(Value other);

    /** @throws IllegalArgumentException if {@code other} is of another kind or not contained in this */
    Value minus(Value other);

    /** False (never an exception) when {@code other} is of another kind. */
    boolean contains(Value other);

    /** "scalar", "ranges" or "set", for error messages. */
    String kind();

    /** The value in the text format of {@link Resources#parse}: {@code 4}, {@code [1-5,8-9]}, {@code {a,b}}. */
    String text();

    private static IllegalArgumentException mismatch(Value a, Value b) {
        return new IllegalArgumentException("cannot combine " + a.kind() + " and " + b.kind() + " values");
    }

    private static IllegalArgumentException notContained(Value a, Value b) {
        return new IllegalArgumentException("cannot subtract " + b.text() + " from " + a.text());
    }

    /**
     * A non-negative amount kept in thousandths, as Mesos does, so that sums of many small amounts
     * never drift ({@code 0.1 + 0.2} is exactly {@code 0.3}).
     */
    record Scalar(long thousandths) implements Value, AttributeValue {
        public static final Scalar ZERO = new Scalar(0);
        // Large enough for any real machine (9 * 10^12 MB of memory), small enough that sums never overflow.
        private static final long MAX = Long.MAX_VALUE / 1024;

        public Scalar {
            if (thousandths < 0) {
                throw new IllegalArgumentException("scalar must be non-negative, got " + thousandths + "/1000");
            }
            if (thousandths > MAX) {
                throw new IllegalArgumentException("scalar too large: " + thousandths + "/1000");
            }
        }

        /** Rounds to the nearest thousandth; refuses negative, NaN and infinite amounts. */
        public static Scalar of(double amount) {
            if (Double.isNaN(amount) || Double.isInfinite(amount) || amount < 0) {
                throw new IllegalArgumentException("scalar must be a non-negative number, got " + amount);
            }
            return of(BigDecimal.valueOf(amount));
        }

        static Scalar of(BigDecimal amount) {
            if (amount.signum() < 0) {
                throw new IllegalArgumentException("scalar must be non-negative, got " + amount);
            }
            // Compare before rescaling: "1e999999999" would otherwise build a billion-digit number.
            if (amount.compareTo(BigDecimal.valueOf(MAX, 3)) > 0) {
                throw new IllegalArgumentException("scalar too large: " + amount);
            }
            return new Scalar(amount.setScale(3, RoundingMode.HALF_UP).movePointRight(3).longValueExact());
        }

        public double value() {
            return thousandths / 1000.0;
        }

        @Override
        public boolean isEmpty() {
            return thousandths == 0;
        }

        @Override
        public Scalar plus(Value other) {
            if (!(other instanceof Scalar s)) {
                throw mismatch(this, other);
            }
            return new Scalar(thousandths + s.thousandths);
        }

        @Override
        public Scalar minus(Value other) {
            if (!(other instanceof Scalar s)) {
                throw mismatch(this, other);
            }
            if (s.thousandths > thousandths) {
                throw notContained(this, other);
            }
            return new Scalar(thousandths - s.thousandths);
        }

        @Override
        public boolean contains(Value other) {
            return other instanceof Scalar s && s.thousandths <= thousandths;
        }

        @Override
        public String kind() {
            return "scalar";
        }

        @Override
        public String text() {
            return BigDecimal.valueOf(thousandths, 3).stripTrailingZeros().toPlainString();
        }

        @Override
        public String toString() {
            return text();
        }
    }

    /** An inclusive interval {@code [begin, end]} of non-negative integers, such as ports. */
    record Range(long begin, long end) {
        public Range {
            if (begin < 0 || end < begin) {
                throw new IllegalArgumentException("range " + begin + "-" + end + " is not a non-negative "
                        + (end < begin ? "interval (begins after it ends)" : "interval"));
            }
        }

        public long size() {
            return end - begin + 1;
        }

        public boolean overlaps(Range other) {
            return begin <= other.end && other.begin <= end;
        }

        @Override
        public String toString() {
            return begin + "-" + end;
        }
    }

    /**
     * A set of integers held as sorted, disjoint, non-adjacent ranges: {@code [1-3,4-5]} is stored as
     * {@code [1-5]}, so equal sets are equal records.
     */
    record Ranges(List<Range> ranges) implements Value, AttributeValue {
        public static final Ranges NONE = new Ranges(List.of());

        public Ranges {
            ranges = normalize(ranges);
        }

        public static Ranges of(Range... ranges) {
            return new Ranges(List.of(ranges));
        }

        public static Ranges of(long begin, long end) {
            return new Ranges(List.of(new Range(begin, end)));
        }

        /** Number of integers in the set. */
        public long size() {
            return ranges.stream().mapToLong(Range::size).sum();
        }

        private static List<Range> normalize(Collection<Range> input) {
            if (input instanceof List<Range> list && isNormal(list)) {
                return List.copyOf(list);   // no copy when it is already an immutable list
            }
            List<Range> sorted = new ArrayList<>(input);
            sorted.forEach(r -> Objects.requireNonNull(r, "range"));
            sorted.sort(Comparator.comparingLong(Range::begin));
            List<Range> merged = new ArrayList<>();
            for (Range r : sorted) {
                Range last = merged.isEmpty() ? null : merged.getLast();
                // Adjacent ranges merge too; the MAX_VALUE test keeps end + 1 from overflowing.
                if (last != null && (last.end() == Long.MAX_VALUE || r.begin() <= last.end() + 1)) {
                    merged.set(merged.size() - 1, new Range(last.begin(), Math.max(last.end(), r.end())));
                } else {
                    merged.add(r);
                }
            }
            return List.copyOf(merged);
        }

        /** Sorted, disjoint and not adjacent already: what every result of plus and minus here is. */
        private static boolean isNormal(List<Range> list) {
            Range last = null;
            for (Range r : list) {
                if (r == null || (last != null && (last.end() == Long.MAX_VALUE || r.begin() <= last.end() + 1))) {
                    return false;
                }
                last = r;
            }
            return true;
        }

        @Override
        public boolean isEmpty() {
            return ranges.isEmpty();
        }

        @Override
        public Ranges plus(Value other) {
            if (!(other instanceof Ranges r)) {
                throw mismatch(this, other);
            }
            List<Range> all = new ArrayList<>(ranges);
            all.addAll(r.ranges);
            return new Ranges(all);
        }

        @Override
        public Ranges minus(Value other) {
            if (!(other instanceof Ranges r)) {
                throw mismatch(this, other);
            }
            if (!contains(r)) {
                throw notContained(this, other);
            }
            List<Range> left = ranges;
            for (Range cut : r.ranges) {
                left = cut(left, cut);
            }
            return new Ranges(left);
        }

        private static List<Range> cut(List<Range> from, Range cut) {
            List<Range> out = new ArrayList<>(from.size() + 1);
            for (Range r : from) {
                if (!r.overlaps(cut)) {
                    out.add(r);
                    continue;
                }
                if (r.begin() < cut.begin()) {
                    out.add(new Range(r.begin(), cut.begin() - 1));
                }
                if (r.end() > cut.end()) {
                    out.add(new Range(cut.end() + 1, r.end()));
                }
            }
            return out;
        }

        @Override
        public boolean contains(Value other) {
            if (!(other instanceof Ranges r)) {
                return false;
            }
            // Both sides are sorted and merged, so each range of other must fit inside a single range of this,
            // found by walking both lists once.
            int i = 0;
            for (Range need : r.ranges) {
                while (i < ranges.size() && ranges.get(i).end() < need.begin()) {
                    i++;
                }
                if (i == ranges.size() || ranges.get(i).begin() > need.begin() || ranges.get(i).end() < need.end()) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public String kind() {
            return "ranges";
        }

        @Override
        public String text() {
            return "[" + String.join(",", ranges.stream().map(Range::toString).toList()) + "]";
        }

        @Override
        public String toString() {
            return text();
        }
    }

    /** A set of names, such as zones or GPU ids. Items are sorted so equal sets print alike. */
    record ValueSet(SortedSet<String> items) implements Value {
        public static final ValueSet NONE = new ValueSet(new TreeSet<>());

        public ValueSet {
            TreeSet<String> copy = new TreeSet<>();
            for (String item : items) {
                copy.add(Names.requireItem(item));
            }
            items = Collections.unmodifiableSortedSet(copy);
        }

        public static ValueSet of(String... items) {
            return new ValueSet(new TreeSet<>(List.of(items)));
        }

        @Override
        public boolean isEmpty() {
            return items.isEmpty();
        }

        @Override
        public ValueSet plus(Value other) {
            if (!(other instanceof ValueSet s)) {
                throw mismatch(this, other);
            }
            TreeSet<String> union = new TreeSet<>(items);
            union.addAll(s.items);
            return new ValueSet(union);
        }

        @Override
        public ValueSet minus(Value other) {
            if (!(other instanceof ValueSet s)) {
                throw mismatch(this, other);
            }
            if (!items.containsAll(s.items)) {
                throw notContained(this, other);
            }
            TreeSet<String> rest = new TreeSet<>(items);
            rest.removeAll(s.items);
            return new ValueSet(rest);
        }

        @Override
        public boolean contains(Value other) {
            return other instanceof ValueSet s && items.containsAll(s.items);
        }

        @Override
        public String kind() {
            return "set";
        }

        @Override
        public String text() {
            return "{" + String.join(",", items) + "}";
        }

        @Override
        public String toString() {
            return text();
        }
    }
}
