package io.tandem.allocator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.tandem.allocator.RoleSummary.FrameworkSummary;
import io.tandem.model.AgentId;
import io.tandem.model.FrameworkId;
import io.tandem.model.Resources;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RoleSummaryTest {
    private static final FrameworkId A = FrameworkId.of("A");
    private static final FrameworkId B = FrameworkId.of("B");

    @Test
    void showsEachRolesAllocationShareWeightQuotaAndItsFrameworksDemand() {
        Allocator allocator = new Allocator();
        allocator.addAgent(AgentId.of("a1"), Resources.parse("cpus:18;mem:36864"));
        allocator.addFramework(A, Set.of("dev"));
        allocator.addFramework(B, Set.of("ops"));
        allocator.setWeight("ops", 2);
        allocator.setQuota("ops", Resources.empty(), Resources.parse("cpus:12"));
        allocator.declareDemand(A, "dev", List.of(TaskShape.of("cpus:2;mem:8192", 5), TaskShape.of("cpus:64", 1)));
        allocator.declareDemand(B, "ops", List.of(TaskShape.of("cpus:6;mem:2048", 5)));
        allocator.allocate(Instant.EPOCH);

        List<RoleSummary> roles = allocator.roles();

        assertThat(roles).extracting(RoleSummary::role).containsExactly("dev", "ops");
        RoleSummary dev = roles.get(0);
        RoleSummary ops = roles.get(1);
        assertThat(ops.weight()).isEqualTo(2.0);
        assertThat(ops.quota()).isEqualTo(Optional.of(Quota.of("", "cpus:12")));
        assertThat(ops.allocated()).isEqualTo(Resources.parse("cpus:12;mem:4096"));
        assertThat(ops.share()).isEqualTo(12.0 / 18 / 2, within(1e-9));
        FrameworkSummary a = dev.frameworks().getFirst();
        assertThat(a.frameworkId()).isEqualTo(A);
        assertThat(a.share()).isEqualTo(dev.share(), within(1e-9));
        assertThat(a.demand()).contains(TaskShape.of("cpus:64", 1));
        assertThat(a.unsatisfiable()).extracting(UnmetDemand::reason)
                .containsExactly("a task of cpus:64 fits on no agent; the largest has cpus:18");
    }
}
