package io.tandem.allocator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tandem.model.AgentId;
import io.tandem.model.FrameworkId;
import io.tandem.model.Resources;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReservationTest {
    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    private static final AgentId A1 = AgentId.of("a1");
    private static final FrameworkId PROD = FrameworkId.of("prod-fw");
    private static final FrameworkId DEV = FrameworkId.of("dev-fw");

    private final Allocator allocator = new Allocator();

    private static Resources res(String spec) {
        return Resources.parse(spec);
    }

    @Test
    void freeResourcesReservedByTheOperatorGoOnlyToTheirRole() {
        allocator.addAgent(A1, res("cpus:4;mem:4096"));
        allocator.updateAvailable(A1, res("cpus:2;mem:1024"), res("cpus(prod):2;mem(prod):1024"));
        allocator.addFramework(DEV, Set.of("dev"));
        allocator.addFramework(PROD, Set.of("prod"));

        allocator.allocate(T0);

        assertThat(allocator.total(A1)).isEqualTo(res("cpus:2;mem:3072;cpus(prod):2;mem(prod):1024"));
        assertThat(allocator.allocated(DEV).get(A1)).isEqualTo(res("cpus:2;mem:3072"));
        assertThat(allocator.allocated(PROD).get(A1)).isEqualTo(res("cpus(prod):2;mem(prod):1024"));
        assertThat(allocator.clusterScalars().scalars()).isEqualTo(res("cpus:4;mem:4096").scalars());
    }

    @Test
    void aReservationMadeInAnOfferStaysWithTheFrameworkAndThenWithTheRole() {
        allocator.addAgent(A1, res("cpus:4;mem:4096"));
        allocator.addFramework(PROD, Set.of("prod"));
        allocator.allocate(T0);

        allocator.updateAllocation(PROD, A1, "prod", res("cpus:1"), res("cpus(prod):1"));

        assertThat(allocator.allocated(PROD).get(A1)).isEqualTo(res("cpus:3;cpus(prod):1;mem:4096"));
        allocator.recover(PROD, A1, res("cpus:3;cpus(prod):1;mem:4096"), Duration.ZERO, T0);
        allocator.addFramework(DEV, Set.of("dev"));
        allocator.deactivateFramework(PROD);
        allocator.allocate(T0);
        assertThat(allocator.allocated(DEV).get(A1)).isEqualTo(res("cpus:3;mem:4096"));
        assertThat(allocator.available(A1)).isEqualTo(res("cpus(prod):1"));
    }

    @Test
    void refusesReservationsThatChangeAmountsLackResourcesOrNameAnotherRole() {
        allocator.addAgent(A1, res("cpus:4;mem:4096"));
        allocator.addFramework(DEV, Set.of("dev"));
        allocator.allocate(T0);

        assertThatThrownBy(() -> allocator.updateAvailable(A1, res("cpus:1"), res("cpus(prod):1")))
                .hasMessage("agent a1 has no free 'cpus:1' (free: '')");
        assertThatThrownBy(() -> allocator.updateAllocation(DEV, A1, "dev", res("cpus:1"), res("cpus(dev):2")))
                .hasMessageContaining("a reservation changes roles, not amounts");
        assertThatThrownBy(() -> allocator.updateAllocation(DEV, A1, "dev", res("cpus:1"), res("cpus(prod):1")))
                .hasMessageContaining("reservations must be for 'dev' or a role above it");
        assertThatThrownBy(() -> allocator.updateAllocation(DEV, A1, "dev", res("cpus:8"), res("cpus(dev):8")))
                .hasMessageContaining("does not hold 'cpus:8'");
        assertThat(allocator.total(A1)).isEqualTo(res("cpus:4;mem:4096"));
        assertThat(allocator.allocated(DEV).get(A1)).isEqualTo(res("cpus:4;mem:4096"));
    }
}
