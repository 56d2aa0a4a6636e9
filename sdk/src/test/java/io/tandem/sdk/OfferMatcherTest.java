package io.tandem.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.OfferID;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.Value;
import org.junit.jupiter.api.Test;

class OfferMatcherTest {

    private static Resource scalar(String name, double amount, String allocationRole) {
        return Resource.newBuilder().setName(name).setType(Value.Type.SCALAR)
                .setScalar(Value.Scalar.newBuilder().setValue(amount))
                .setAllocationInfo(Resource.AllocationInfo.newBuilder().setRole(allocationRole)).build();
    }

    private static Resource reserved(Resource r, String role) {
        return r.toBuilder().addReservations(Resource.ReservationInfo.newBuilder()
                .setType(Resource.ReservationInfo.Type.STATIC).setRole(role)).build();
    }

    private static Resource ports(String allocationRole, long... bounds) {
        Value.Ranges.Builder ranges = Value.Ranges.newBuilder();
        for (int i = 0; i < bounds.length; i += 2) {
            ranges.addRange(Value.Range.newBuilder().setBegin(bounds[i]).setEnd(bounds[i + 1]));
        }
        return Resource.newBuilder().setName("ports").setType(Value.Type.RANGES).setRanges(ranges)
                .setAllocationInfo(Resource.AllocationInfo.newBuilder().setRole(allocationRole)).build();
    }

    private static Offer offer(Resource... resources) {
        return Offer.newBuilder().setId(OfferID.newBuilder().setValue("o-1"))
                .setFrameworkId(FrameworkID.newBuilder().setValue("fw-1"))
                .setAgentId(AgentID.newBuilder().setValue("a-1")).setHostname("host-1")
                .addAllResources(java.util.List.of(resources)).build();
    }

    private static double sum(java.util.List<Resource> resources, String name) {
        return resources.stream().filter(r -> r.getName().equals(name)).mapToDouble(r -> r.getScalar().getValue()).sum();
    }

    @Test
    void takesExactlyTheNeededAmountsKeepingTheAllocationRole() {
        Offer offer = offer(scalar("cpus", 4, "web"), scalar("mem", 1024, "web"), scalar("disk", 100, "web"));

        Placement placement = OfferMatcher.match(offer, ResourceNeeds.of(0.5, 64).withDisk(10));

        assertThat(placement.fits()).isTrue();
        assertThat(placement.resources()).containsExactly(
                scalar("cpus", 0.5, "web"), scalar("mem", 64, "web"), scalar("disk", 10, "web"));
    }

    @Test
    void packsSeveralTasksUntilTheOfferRunsOut() {
        OfferMatcher matcher = OfferMatcher.of(offer(scalar("cpus", 1, "*"), scalar("mem", 256, "*")));
        ResourceNeeds needs = ResourceNeeds.of(0.3, 64);

        assertThat(matcher.take(needs).fits()).isTrue();
        assertThat(matcher.take(needs).fits()).isTrue();
        assertThat(matcher.take(needs).fits()).isTrue();
        Placement fourth = matcher.take(needs);

        assertThat(fourth.fits()).isFalse();
        assertThat(fourth.reason()).isEqualTo("offer o-1 on host-1 lacks cpus (needs 0.3, has 0.1)");
        assertThat(sum(matcher.remaining(), "mem")).isEqualTo(64);
    }

    @Test
    void countsInThousandthsSoTenTenthsMakeOneCpu() {
        OfferMatcher matcher = OfferMatcher.of(offer(scalar("cpus", 1, "*")));

        for (int i = 0; i < 10; i++) {
            assertThat(matcher.take(ResourceNeeds.of(0.1, 0)).fits()).as("take %d", i).isTrue();
        }

        assertThat(matcher.remaining()).isEmpty();
    }

    @Test
    void explainsEveryShortfall() {
        Offer offer = offer(scalar("cpus", 1, "*"), scalar("mem", 32, "*"));

        Placement placement = OfferMatcher.match(offer, ResourceNeeds.of(2, 64).withPorts(1));

        assertThat(placement.fits()).isFalse();
        assertThat(placement.resources()).isEmpty();
        assertThat(placement.reason()).isEqualTo(
                "offer o-1 on host-1 lacks cpus (needs 2, has 1), mem (needs 64, has 32), ports (needs 1, has 0)");
    }

    @Test
    void picksTheLowestFreePortsAcrossRanges() {
        OfferMatcher matcher = OfferMatcher.of(offer(ports("*", 31000, 31001, 31005, 31009)));

        Placement first = matcher.take(ResourceNeeds.of(0, 0).withPorts(3));
        Placement second = matcher.take(ResourceNeeds.of(0, 0).withPorts(2));

        assertThat(first.ports()).containsExactly(31000L, 31001L, 31005L);
        assertThat(first.resources()).containsExactly(ports("*", 31000, 31001, 31005, 31005));
        assertThat(second.ports()).containsExactly(31006L, 31007L);
        assertThat(matcher.remaining()).containsExactly(ports("*", 31008, 31009));
    }

    @Test
    void usesResourcesReservedForTheRoleBeforeUnreservedOnes() {
        Resource unreserved = scalar("cpus", 2, "prod");
        Resource forProd = reserved(scalar("cpus", 1, "prod"), "prod");

        Placement placement = OfferMatcher.match(offer(unreserved, forProd), ResourceNeeds.of(1.5, 0));

        assertThat(placement.resources()).containsExactly(forProd, scalar("cpus", 0.5, "prod"));
    }

    @Test
    void neverMixesAllocationRolesInOneTask() {
        Offer offer = offer(scalar("cpus", 1, "a"), scalar("mem", 10, "a"), scalar("cpus", 1, "b"), scalar("mem", 100, "b"));

        Placement placement = OfferMatcher.match(offer, ResourceNeeds.of(1, 50));

        assertThat(placement.resources()).containsExactly(scalar("cpus", 1, "b"), scalar("mem", 50, "b"));
    }

    @Test
    void leavesRevocableAndVolumeResourcesAlone() {
        Resource revocable = scalar("cpus", 8, "*").toBuilder().setRevocable(Resource.RevocableInfo.getDefaultInstance())
                .build();
        Resource volume = scalar("disk", 100, "*").toBuilder().setDisk(Resource.DiskInfo.newBuilder()
                .setPersistence(Resource.DiskInfo.Persistence.newBuilder().setId("v1"))).build();

        Placement placement = OfferMatcher.match(offer(revocable, volume), ResourceNeeds.of(1, 0).withDisk(1));

        assertThat(placement.fits()).isFalse();
        assertThat(placement.reason()).isEqualTo("offer o-1 on host-1 has no usable resources");
    }

    @Test
    void refusesNegativeNeeds() {
        assertThatThrownBy(() -> ResourceNeeds.of(-1, 0)).hasMessage("cpus must be a non-negative number, got -1.0");
        assertThatThrownBy(() -> ResourceNeeds.of(1, 1).withPorts(-2)).hasMessage("ports must be zero or more, got -2");
    }
}
