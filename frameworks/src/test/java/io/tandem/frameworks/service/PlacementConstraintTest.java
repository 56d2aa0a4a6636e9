package io.tandem.frameworks.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlacementConstraintTest {
    private static final Site A1 = new Site("a1", "host-a", Map.of("rack", "r1", "zone", "z1"));
    private static final Site B1 = new Site("b1", "host-b", Map.of("rack", "r2", "zone", "z1"));
    private static final Site C1 = new Site("c1", "host-c", Map.of("zone", "z2"));

    @Test
    void uniqueHostnameRefusesAHostThatAlreadyRunsOne() {
        PlacementConstraint unique = new PlacementConstraint.Unique("hostname");

        assertThat(unique.refuses(A1, List.of(B1))).isEmpty();
        assertThat(unique.refuses(A1, List.of(B1, A1))).hasValue("hostname host-a already runs an instance (unique)");
    }

    @Test
    void attributeEqualsAcceptsOnlyThatValue() {
        PlacementConstraint rack = new PlacementConstraint.Equals("rack", "r1");

        assertThat(rack.refuses(A1, List.of())).isEmpty();
        assertThat(rack.refuses(B1, List.of())).hasValue("rack is r2, must be r1");
        assertThat(rack.refuses(C1, List.of())).hasValue("rack is not set, must be r1");
    }

    @Test
    void maxPerCountsInstancesPerValue() {
        PlacementConstraint twoPerZone = new PlacementConstraint.MaxPer("zone", 2);

        assertThat(twoPerZone.refuses(A1, List.of(B1))).isEmpty();
        assertThat(twoPerZone.refuses(A1, List.of(A1, B1))).hasValue("zone z1 already runs 2 (at most 2)");
        assertThat(twoPerZone.refuses(C1, List.of(A1, B1))).isEmpty();
    }
}
