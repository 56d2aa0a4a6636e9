package io.tandem.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ResourcesTest {

    @Test
    void parsesScalarsRangesSetsAndReservations() {
        Resources r = Resources.parse("cpus:4; mem:8192;disk:20000;ports:[31000-32000,33000-33001];"
                + "zones:{b,a};cpus(eng/prod):2");

        assertThat(r.scalar("cpus")).isEqualTo(6.0);
        assertThat(r.scalar("mem")).isEqualTo(8192.0);
        assertThat(r.ranges("ports")).isEqualTo(Value.Ranges.of(
                new Value.Range(31000, 32000), new Value.Range(33000, 33001)));
        assertThat(r.set("zones")).containsExactly("a", "b");
        assertThat(r.reservedFor("eng/prod")).isEqualTo(Resources.parse("cpus(eng/prod):2"));
        assertThat(r.roles()).containsExactly("*", "eng/prod");
    }

    @Test
    void printsInTheFormatItParses() {
        String spec = "cpus:0.5;cpus(prod):2;disk:20000;mem:8192;ports:[31000-32000,33000-33001];zones:{a,b}";

        assertThat(Resources.parse(spec).toString()).isEqualTo(spec);
        assertThat(Resources.parse(Resources.parse(spec).toString())).isEqualTo(Resources.parse(spec));
    }

    @Test
    void emptySpecIsEmptyAndPrintsAsNothing() {
        assertThat(Resources.parse(" ")).isEqualTo(Resources.empty());
        assertThat(Resources.empty().toString()).isEmpty();
        assertThat(Resources.parse("cpus:0;ports:[]").isEmpty()).isTrue();
    }

    @Test
    void repeatedEntriesAddUpAndAdjacentRangesMerge() {
        assertThat(Resources.parse("cpus:1;cpus:2.5;ports:[1-3];ports:[4-6,10]"))
                .isEqualTo(Resources.parse("cpus:3.5;ports:[1-6,10-10]"));
    }

    @Test
    void scalarsNeverDriftBecauseTheyAreKeptInThousandths() {
        Resources sum = Resources.empty();
        for (int i = 0; i < 1000; i++) {
            sum = sum.plus(Resources.parse("cpus:0.1"));
        }
        assertThat(sum).isEqualTo(Resources.parse("cpus:100"));
        assertThat(Resources.parse("cpus:0.1").plus(Resources.parse("cpus:0.2")).scalar("cpus")).isEqualTo(0.3);
    }

    @Test
    void scalarsRoundToTheNearestThousandth() {
        assertThat(Resources.parse("cpus:0.0015").scalar("cpus")).isEqualTo(0.002);
        assertThat(Resources.parse("cpus:0.0004").isEmpty()).isTrue();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "cpus:-1            | malformed resource 'cpus:-1': cpus must be a non-negative number",
        "cpus:NaN           | malformed resource 'cpus:NaN': cpus must be a non-negative number",
        "cpus:Infinity      | malformed resource 'cpus:Infinity': cpus must be a non-negative number",
        "mem:-inf           | malformed resource 'mem:-inf': mem must be a non-negative number",
        "cpus:1e999         | malformed resource 'cpus:1e999': cpus is too large",
        "ports:[5-3]        | malformed resource 'ports:[5-3]': range 5-3 begins after it ends",
        "ports:[a-3]        | malformed resource 'ports:[a-3]': 'a-3' is not a range like 31000-32000",
        "disk:big           | malformed resource 'disk:big': unknown value 'big' (expected a number, [ranges] or {set})",
        "cpus               | malformed resource 'cpus': expected name:value or name(role):value",
        ":4                 | malformed resource ':4': invalid name '' (letters, digits, '_', '.', '/' and '-'; not empty)",
        "mem:1;mem:[1-2]    | malformed resource 'mem:[1-2]': 'mem' is a scalar resource here but a ranges there",
    })
    void refusesMalformedSpecsNamingTheBadToken(String spec, String message) {
        assertThatThrownBy(() -> Resources.parse(spec))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpus():1", "cpus(a//b):1", "cpus(..):1", "cpus(-x):1", "cpus(a b):1", "cpus(prod:1"})
    void refusesInvalidRoles(String spec) {
        assertThatThrownBy(() -> Resources.parse(spec))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("malformed resource '" + spec + "'");
    }

    @Test
    void minusRemovesWhatWasAddedAndRefusesWhatIsNotThere() {
        Resources total = Resources.parse("cpus:4;mem:1024;ports:[1000-2000]");
        Resources used = Resources.parse("cpus:1.5;ports:[1100-1199]");

        assertThat(total.minus(used)).isEqualTo(Resources.parse("cpus:2.5;mem:1024;ports:[1000-1099,1200-2000]"));
        assertThatThrownBy(() -> used.minus(total))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not contained");
    }

    @Test
    void reservedResourcesAreNotInterchangeableWithUnreservedOnes() {
        Resources reserved = Resources.parse("cpus(prod):2");

        assertThat(reserved.contains(Resources.parse("cpus:1"))).isFalse();
        assertThat(Resources.parse("cpus:2").contains(reserved)).isFalse();
    }

    @Test
    void aRoleMayUseUnreservedResourcesAndThoseOfItsAncestors() {
        Resources r = Resources.parse("cpus:1;cpus(eng):2;cpus(eng/prod):3;cpus(engineering):4;cpus(ops):5");

        assertThat(r.usableBy("eng/prod")).isEqualTo(Resources.parse("cpus:1;cpus(eng):2;cpus(eng/prod):3"));
        assertThat(r.usableBy("eng")).isEqualTo(Resources.parse("cpus:1;cpus(eng):2"));
        assertThat(r.unreserved()).isEqualTo(Resources.parse("cpus:1"));
    }

    @Test
    void scalarsTotalEachNameOverAllRoles() {
        Resources r = Resources.parse("cpus:1;cpus(a):2;mem:10;ports:[1-2]");

        assertThat(r.scalars()).isEqualTo(Map.of("cpus", 3.0, "mem", 10.0));
        assertThat(r.names()).containsExactly("cpus", "mem", "ports");
    }

    @Test
    void listsOneResourcePerNameAndRole() {
        assertThat(Resources.parse("mem:5;cpus(x):1;cpus:2").list()).containsExactly(
                Resource.scalar("cpus", 2), new Resource("cpus", "x", Value.Scalar.of(1)),
                Resource.scalar("mem", 5));
        assertThat(Resources.of(List.of(Resource.ranges("ports", 1, 5), Resource.ranges("ports", 3, 9))))
                .isEqualTo(Resources.parse("ports:[1-9]"));
    }

    @Test
    void plusRefusesANameWithTwoKindsEvenUnderDifferentRoles() {
        Resources scalar = Resources.parse("gpus:1");
        Resources ranges = Resources.parse("gpus(ml):[0-1]");

        assertThatThrownBy(() -> scalar.plus(ranges))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'gpus' is a scalar resource here but a ranges there");
        assertThatThrownBy(() -> scalar.plus(Resources.parse("gpus:[0-1]")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'gpus' is a scalar resource here but a ranges there");
    }

    @Test
    void plusAndMinusMergeInterleavedNamesAndRoles() {
        Resources a = Resources.parse("cpus:1;disk(x):5;mem:10;ports:[1-2]");
        Resources b = Resources.parse("cpus(x):2;disk:1;mem:5;zones:{z}");

        Resources sum = a.plus(b);

        assertThat(sum.toString()).isEqualTo("cpus:1;cpus(x):2;disk:1;disk(x):5;mem:15;ports:[1-2];zones:{z}");
        assertThat(sum.minus(b)).isEqualTo(a);
        assertThat(sum.minus(a)).isEqualTo(b);
        assertThat(sum.contains(a)).isTrue();
        assertThat(a.contains(sum)).isFalse();
        assertThat(sum.minus(sum)).isEqualTo(Resources.empty());
    }

    @Test
    void resourcesBuiltFromPartsEqualParsedOnesAndHashAlike() {
        Resources built = Resources.of(new Resource(new String("cpus"), "*", Value.Scalar.of(2)),
                Resource.scalar("mem", 64));

        assertThat(built).isEqualTo(Resources.parse("mem:64;cpus:2"));
        assertThat(built.hashCode()).isEqualTo(Resources.parse("mem:64;cpus:2").hashCode());
        assertThat(built.scalarThousandths("cpus")).isEqualTo(2000);
        assertThat(built.isUnreservedScalars()).isTrue();
        assertThat(Resources.parse("cpus(a):1").isUnreservedScalars()).isFalse();
        assertThat(Resources.parse("ports:[1-2]").isUnreservedScalars()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "eng/prod", "a.b-c_d/E9", "_x/y.."})
    void acceptsValidRoles(String role) {
        assertThat(Resources.parse("cpus(" + role + "):1").roles()).containsExactly(role);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/a", "a/", "a/.", "a/-b", "é", "a/b c"})
    void refusesRolesWithEmptyOrBadSegments(String role) {
        assertThatThrownBy(() -> new Resource("cpus", role, Value.Scalar.of(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("invalid role '" + role + "'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"-cpus", ".x", "/x", "cp us", "cpus:", "gpü"})
    void refusesInvalidNames(String name) {
        assertThatThrownBy(() -> Resource.scalar(name, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("invalid name '" + name + "'");
    }

    @Test
    void ofTakesSortedPartsAsTheyAreAndSortsTheRest() {
        Resource cpus = Resource.scalar("cpus", 1);
        Resource mem = Resource.scalar("mem", 2);

        assertThat(Resources.of(List.of(cpus, mem)).list()).containsExactly(cpus, mem);
        assertThat(Resources.of(List.of(mem, cpus))).isEqualTo(Resources.of(List.of(cpus, mem)));
        assertThat(Resources.of(List.of(cpus, cpus))).isEqualTo(Resources.parse("cpus:2"));
        assertThat(Resources.of(List.of(Resource.scalar("cpus", 0)))).isEqualTo(Resources.empty());
        assertThatThrownBy(() -> Resources.of(List.of(cpus, new Resource("cpus", "x", Value.Ranges.of(1, 2)))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'cpus' is a scalar resource here but a ranges there");
    }
}
