package io.tandem.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class ResourcesPropertyTest {

    /**
     * Ranges and sets add as unions (a port is either there or not), so plus-then-minus gives back the
     * original only when the two sides share no port or item. {@code left} and {@code right} draw them
     * from disjoint but adjacent pools, so merging at the seam is still exercised; scalars overlap freely.
     */
    @Provide
    Arbitrary<Resources> left() {
        return resources(0, 100, List.of("a", "b", "c"));
    }

    @Provide
    Arbitrary<Resources> right() {
        return resources(121, 220, List.of("d", "e"));
    }

    @Provide
    Arbitrary<Resources> any() {
        return resources(0, 220, List.of("a", "b", "c", "d", "e"));
    }

    private static Arbitrary<Resources> resources(long lowPort, long highPort, List<String> items) {
        Arbitrary<String> roles = Arbitraries.of("*", "prod", "eng/prod");
        Arbitrary<Resource> scalar = Combinators.combine(Arbitraries.of("cpus", "mem"), roles,
                Arbitraries.longs().between(0, 100_000))
                .as((name, role, thousandths) -> new Resource(name, role, new Value.Scalar(thousandths)));
        Arbitrary<Value.Range> range = Combinators.combine(Arbitraries.longs().between(lowPort, highPort - 20),
                Arbitraries.longs().between(0, 20)).as((begin, length) -> new Value.Range(begin, begin + length));
        Arbitrary<Resource> ports = Combinators.combine(roles, range.list().ofMaxSize(4))
                .as((role, rs) -> new Resource("ports", role, new Value.Ranges(rs)));
        Arbitrary<Resource> zones = Combinators.combine(roles, Arbitraries.of(items).set())
                .as((role, set) -> new Resource("zones", role, new Value.ValueSet(new TreeSet<>(set))));
        return Arbitraries.oneOf(scalar, ports, zones).list().ofMaxSize(6).map(Resources::of);
    }

    @Property(seed = "20250101")
    void plusThenMinusGivesBackTheOriginal(@ForAll("left") Resources a, @ForAll("right") Resources b) {
        assertThat(a.plus(b).minus(b)).isEqualTo(a);
        assertThat(a.plus(b).minus(a)).isEqualTo(b);
    }

    @Property(seed = "20250101")
    void plusIsCommutativeAndRangesAddAsUnions(@ForAll("any") Resources a, @ForAll("any") Resources b) {
        assertThat(a.plus(b)).isEqualTo(b.plus(a));
        assertThat(a.plus(a).ranges("ports")).isEqualTo(a.ranges("ports"));
    }

    @Property(seed = "20250101")
    void aSumContainsBothParts(@ForAll("any") Resources a, @ForAll("any") Resources b) {
        assertThat(a.plus(b).contains(a)).isTrue();
        assertThat(a.plus(b).contains(b)).isTrue();
    }

    @Property(seed = "20250101")
    void containsExactlyWhenMinusSucceeds(@ForAll("any") Resources a, @ForAll("any") Resources b) {
        if (a.contains(b)) {
            assertThat(a.minus(b).plus(b)).isEqualTo(a);
        } else {
            assertThatThrownBy(() -> a.minus(b)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Property(seed = "20250101")
    void rangesNeverOverlapOrTouchAfterPlus(@ForAll("any") Resources a, @ForAll("any") Resources b) {
        List<Value.Range> ranges = a.plus(b).ranges("ports").ranges();
        for (int i = 1; i < ranges.size(); i++) {
            assertThat(ranges.get(i).begin()).isGreaterThan(ranges.get(i - 1).end() + 1);
        }
    }

    @Property(seed = "20250101")
    void printingRoundTripsThroughParse(@ForAll("any") Resources a) {
        assertThat(Resources.parse(a.toString())).isEqualTo(a);
    }

    @Property(seed = "20250101")
    void nothingIsEverEmptyInsideABag(@ForAll("any") Resources a, @ForAll("any") Resources b) {
        Resources sum = a.plus(b);
        assertThat(sum.list()).noneMatch(r -> r.value().isEmpty());
        assertThat(sum.isEmpty()).isEqualTo(sum.list().isEmpty());
    }
}
