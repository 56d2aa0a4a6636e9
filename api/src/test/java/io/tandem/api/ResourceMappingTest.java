package io.tandem.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tandem.model.Attributes;
import io.tandem.model.Resources;
import java.util.List;
import org.apache.mesos.v1.Protos;
import org.junit.jupiter.api.Test;

class ResourceMappingTest {

    private static Protos.Resource parse(String json) {
        return MesosJson.parse(json, Protos.Resource.newBuilder()).buildPartial();
    }

    private static Protos.Resource scalar(String name, double value) {
        return Protos.Resource.newBuilder().setName(name).setType(Protos.Value.Type.SCALAR)
                .setScalar(Protos.Value.Scalar.newBuilder().setValue(value)).build();
    }

    @Test
    void roundTripsScalarsRangesSetsAndReservations() {
        Resources r = Resources.parse("cpus:1.5;cpus(eng/prod):2;mem:512;ports:[31000-31009,31020-31020];zones:{a,b}");

        assertThat(ResourceMapping.fromMesos(ResourceMapping.toMesos(r, "eng/prod"))).isEqualTo(r);
        assertThat(ResourceMapping.fromMesos(ResourceMapping.toMesos(r, null))).isEqualTo(r);
    }

    @Test
    void writesAllocationInfoOnlyWhenAskedAndReservationsInRefinedForm() {
        List<Protos.Resource> offered = ResourceMapping.toMesos(Resources.parse("cpus(prod):2"), "prod");
        List<Protos.Resource> plain = ResourceMapping.toMesos(Resources.parse("cpus:2"), null);

        assertThat(MesosJson.print(offered.getFirst())).isEqualTo("{\"name\":\"cpus\",\"type\":\"SCALAR\","
                + "\"scalar\":{\"value\":2.0},\"allocation_info\":{\"role\":\"prod\"},"
                + "\"reservations\":[{\"role\":\"prod\",\"type\":\"STATIC\"}]}");
        assertThat(plain.getFirst().hasAllocationInfo()).isFalse();
        assertThat(plain.getFirst().getReservationsCount()).isZero();
    }

    @Test
    @SuppressWarnings("deprecation")
    void writesThePreRefinementFormatWithARoleOnEveryResourceAndNoReservations() {
        List<Protos.Resource> out = ResourceMapping.toMesos(Resources.parse("cpus(prod):2;mem:512"), "prod",
                ResourceMapping.Format.PRE_RESERVATION_REFINEMENT);

        assertThat(out).extracting(Protos.Resource::getName, Protos.Resource::getRole)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("cpus", "prod"),
                        org.assertj.core.groups.Tuple.tuple("mem", "*"));
        assertThat(out).allSatisfy(r -> {
            assertThat(r.getReservationsCount()).isZero();
            assertThat(r.hasReservation()).isFalse(); // only dynamic reservations have one
            assertThat(r.getAllocationInfo().getRole()).isEqualTo("prod");
        });
    }

    @Test
    void bothFormatsReadBackAsTheSameResources() {
        Resources r = Resources.parse("cpus:1.5;cpus(eng/prod):2;ports(eng/prod):[31000-31009]");

        assertThat(ResourceMapping.fromMesos(ResourceMapping.toMesos(r, null,
                ResourceMapping.Format.PRE_RESERVATION_REFINEMENT))).isEqualTo(r);
        assertThat(ResourceMapping.fromMesos(ResourceMapping.toMesos(r, null,
                ResourceMapping.Format.POST_RESERVATION_REFINEMENT))).isEqualTo(r);
    }

    @Test
    void readsTheRoleFromTheLastRefinedReservationOrTheDeprecatedField() {
        Protos.Resource refined = parse("{\"name\":\"cpus\",\"type\":\"SCALAR\",\"scalar\":{\"value\":1},"
                + "\"reservations\":[{\"type\":\"STATIC\",\"role\":\"eng\"},{\"type\":\"DYNAMIC\",\"role\":\"eng/web\"}]}");
        Protos.Resource legacy = parse("{\"name\":\"mem\",\"type\":\"SCALAR\",\"scalar\":{\"value\":64},\"role\":\"ops\"}");
        Protos.Resource star = parse("{\"name\":\"disk\",\"type\":\"SCALAR\",\"scalar\":{\"value\":8},\"role\":\"*\","
                + "\"allocation_info\":{\"role\":\"ops\"}}");

        assertThat(ResourceMapping.fromMesos(List.of(refined, legacy, star)))
                .isEqualTo(Resources.parse("cpus(eng/web):1;mem(ops):64;disk:8"));
    }

    @Test
    void sumsRepeatedResources() {
        assertThat(ResourceMapping.fromMesos(List.of(scalar("cpus", 0.1), scalar("cpus", 0.2))))
                .isEqualTo(Resources.parse("cpus:0.3"));
    }

    @Test
    void refusesNegativeNaNAndInfiniteScalars() {
        assertThatThrownBy(() -> ResourceMapping.fromMesos(List.of(scalar("mem", 1), scalar("cpus", -1))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid resource #1 'cpus': scalar must be a non-negative finite number, got -1.0");
        assertThatThrownBy(() -> ResourceMapping.fromMesos(List.of(scalar("cpus", Double.NaN))))
                .hasMessageContaining("got NaN");
        assertThatThrownBy(() -> ResourceMapping.fromMesos(List.of(scalar("cpus", Double.POSITIVE_INFINITY))))
                .hasMessageContaining("got Infinity");
    }

    @Test
    void refusesAMissingValueAMissingTypeTextAndAnEmptyName() {
        assertThatThrownBy(() -> ResourceMapping.fromMesos(List.of(parse("{\"name\":\"cpus\",\"type\":\"SCALAR\"}"))))
                .hasMessage("invalid resource #0 'cpus': type SCALAR but no scalar value");
        assertThatThrownBy(() -> ResourceMapping.fromMesos(List.of(parse("{\"name\":\"cpus\",\"scalar\":{\"value\":1}}"))))
                .hasMessage("invalid resource #0 'cpus': missing type (SCALAR, RANGES or SET)");
        assertThatThrownBy(() -> ResourceMapping.fromMesos(List.of(parse("{\"name\":\"x\",\"type\":\"TEXT\"}"))))
                .hasMessage("invalid resource #0 'x': type TEXT is not a resource type");
        assertThatThrownBy(() -> ResourceMapping.fromMesos(List.of(scalar("", 1))))
                .hasMessage("invalid resource #0 '': name must not be empty");
    }

    @Test
    void refusesOverlappingRangesWithinAndAcrossResources() {
        Protos.Resource within = parse("{\"name\":\"ports\",\"type\":\"RANGES\","
                + "\"ranges\":{\"range\":[{\"begin\":1,\"end\":5},{\"begin\":5,\"end\":9}]}}");
        Protos.Resource first = parse("{\"name\":\"ports\",\"type\":\"RANGES\",\"ranges\":{\"range\":[{\"begin\":1,\"end\":5}]}}");
        Protos.Resource second = parse("{\"name\":\"ports\",\"type\":\"RANGES\",\"ranges\":{\"range\":[{\"begin\":3,\"end\":4}]}}");

        assertThatThrownBy(() -> ResourceMapping.fromMesos(List.of(within)))
                .hasMessage("invalid resource #0 'ports': ranges 1-5 and 5-9 overlap");
        assertThatThrownBy(() -> ResourceMapping.fromMesos(List.of(first, second)))
                .hasMessage("invalid resource #1 'ports': overlaps another 'ports' resource: [1-5] and [3-4]");
    }

    @Test
    void refusesBackwardRangesAndInvalidRoles() {
        Protos.Resource backward = parse("{\"name\":\"ports\",\"type\":\"RANGES\",\"ranges\":{\"range\":[{\"begin\":9,\"end\":3}]}}");
        Protos.Resource badRole = parse("{\"name\":\"cpus\",\"type\":\"SCALAR\",\"scalar\":{\"value\":1},"
                + "\"reservations\":[{\"type\":\"STATIC\",\"role\":\"a b\"}]}");

        assertThatThrownBy(() -> ResourceMapping.fromMesos(List.of(backward)))
                .hasMessage("invalid resource #0 'ports': range 9-3 begins after it ends");
        assertThatThrownBy(() -> ResourceMapping.fromMesos(List.of(badRole)))
                .hasMessageStartingWith("invalid resource #0 'cpus': invalid role 'a b'");
    }

    @Test
    void refusesPersistentVolumesRatherThanDroppingThem() {
        Protos.Resource volume = parse("{\"name\":\"disk\",\"type\":\"SCALAR\",\"scalar\":{\"value\":10},"
                + "\"disk\":{\"persistence\":{\"id\":\"v1\"}}}");

        assertThatThrownBy(() -> ResourceMapping.fromMesos(List.of(volume)))
                .hasMessageContaining("not supported");
    }

    @Test
    void roundTripsAttributes() {
        Attributes a = Attributes.parse("rack:r1;level:3.5;slots:[1-4,8-9]");

        List<Protos.Attribute> proto = ResourceMapping.attributesToMesos(a);

        assertThat(proto).extracting(Protos.Attribute::getType).containsExactly(
                Protos.Value.Type.SCALAR, Protos.Value.Type.TEXT, Protos.Value.Type.RANGES);
        assertThat(ResourceMapping.attributesFromMesos(proto)).isEqualTo(a);
    }

    @Test
    void refusesMalformedAttributes() {
        Protos.Attribute negative = Protos.Attribute.newBuilder().setName("level").setType(Protos.Value.Type.SCALAR)
                .setScalar(Protos.Value.Scalar.newBuilder().setValue(Double.NEGATIVE_INFINITY)).build();
        Protos.Attribute noText = Protos.Attribute.newBuilder().setName("rack").setType(Protos.Value.Type.TEXT).build();

        assertThatThrownBy(() -> ResourceMapping.attributesFromMesos(List.of(negative)))
                .hasMessage("invalid attribute 'level': scalar must be a non-negative finite number, got -Infinity");
        assertThatThrownBy(() -> ResourceMapping.attributesFromMesos(List.of(noText)))
                .hasMessage("invalid attribute 'rack': type TEXT but no text value");
    }
}
