package io.tandem.allocator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.tandem.model.AgentId;
import io.tandem.model.FrameworkId;
import io.tandem.model.Resources;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class QuotaTest {
    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    private static final FrameworkId GOLD = FrameworkId.of("gold-fw");
    private static final FrameworkId OTHER = FrameworkId.of("other-fw");

    private final Allocator allocator = new Allocator();

    private static Resources res(String spec) {
        return Resources.parse(spec);
    }

    private void agents(int count, String spec) {
        for (int i = 1; i <= count; i++) {
            allocator.addAgent(AgentId.of("a" + i), res(spec));
        }
    }

    private double held(FrameworkId framework, String name) {
        return allocator.allocated(framework).values().stream().mapToDouble(r -> r.scalar(name)).sum();
    }

    @Test
    void neverAllocatesBeyondTheLimitEvenWholeAgents() {
        agents(2, "cpus:4;mem:4096");
        allocator.setQuota("gold", res(""), res("cpus:3"));
        allocator.addFramework(GOLD, Set.of("gold"));

        allocator.allocate(T0);

        assertThat(held(GOLD, "cpus")).isEqualTo(3.0);
        assertThat(held(GOLD, "mem")).isEqualTo(8192.0);
        assertThat(allocator.lastRound().refusalsFor(GOLD)).extracting(Refusal::reason).isEmpty();
        allocator.allocate(T0);
        // Both agents still have cpus (a1 one, a2 four), but the limit leaves the role none.
        assertThat(allocator.lastRound().refusalsFor(GOLD)).extracting(Refusal::reason, Refusal::agents)
                .containsExactly(tuple(Refusal.Reason.QUOTA, 2));
    }

    @Test
    void aParentsLimitBoundsItsChildren() {
        agents(1, "cpus:8;mem:4096");
        allocator.setQuota("eng", res(""), res("cpus:5"));
        allocator.addFramework(GOLD, Set.of("eng/a"));
        allocator.addFramework(OTHER, Set.of("eng/b"));
        allocator.declareDemand(GOLD, "eng/a", List.of(TaskShape.of("cpus:1;mem:1", 10)));
        allocator.declareDemand(OTHER, "eng/b", List.of(TaskShape.of("cpus:1;mem:1", 10)));

        allocator.allocate(T0);

        assertThat(held(GOLD, "cpus") + held(OTHER, "cpus")).isEqualTo(5.0);
    }

    @Test
    void setsTheGuaranteeAsideForAnIdleRoleAndServesItFirst() {
        agents(2, "cpus:5;mem:5120");
        allocator.setQuota("gold", res("cpus:4"), res(""));
        allocator.addFramework(GOLD, Set.of("gold"));
        allocator.deactivateFramework(GOLD);
        allocator.addFramework(OTHER, Set.of("*"));
        allocator.declareDemand(OTHER, "*", List.of(TaskShape.of("cpus:1;mem:1", 100)));

        allocator.allocate(T0);
        assertThat(held(OTHER, "cpus")).isEqualTo(6.0);

        allocator.activateFramework(GOLD);
        allocator.allocate(T0);
        assertThat(held(GOLD, "cpus")).isEqualTo(4.0);
    }

    @Test
    void roleLackingItsGuaranteeIsServedBeforeALowerShare() {
        agents(1, "cpus:10;mem:10240");
        allocator.setQuota("gold", res("cpus:6"), res(""));
        allocator.addFramework(GOLD, Set.of("gold"));
        allocator.addFramework(OTHER, Set.of("*"));
        allocator.declareDemand(GOLD, "gold", List.of(TaskShape.of("cpus:1;mem:1", 100)));
        allocator.declareDemand(OTHER, "*", List.of(TaskShape.of("cpus:1;mem:1", 100)));

        allocator.allocate(T0);

        // 6 guaranteed first, then DRF shares the remaining 4 while gold's share is higher: all go to OTHER.
        assertThat(held(GOLD, "cpus")).isEqualTo(6.0);
        assertThat(held(OTHER, "cpus")).isEqualTo(4.0);
    }

    @Test
    void refusesALimitBelowTheGuaranteeAndChangesNothing() {
        assertThatThrownBy(() -> allocator.setQuota("gold", res("cpus:4"), res("cpus:2")))
                .hasMessage("the limit cpus:2 is below the guarantee cpus:4");
        assertThatThrownBy(() -> allocator.setQuota("*", res("cpus:1"), res("")))
                .hasMessageContaining("unreserved role '*'");
        assertThatThrownBy(() -> allocator.setQuota("gold", res("ports:[1-2]"), res("")))
                .hasMessageContaining("unreserved scalar resources only");
        assertThat(allocator.quotas()).isEmpty();
    }

    @Test
    void reportsAGuaranteeAboveTheClusterTotalButKeepsIt() {
        agents(1, "cpus:4;mem:1024");

        List<String> warnings = allocator.setQuota("gold", res("cpus:10"), res(""));

        assertThat(warnings).containsExactly("the guarantee of role 'gold' cpus:10 exceeds the cluster's total"
                + " cpus:4; it cannot be met until agents join");
        assertThat(allocator.quotas()).isEqualTo(Map.of("gold", Quota.of("cpus:10", "")));
        assertThat(allocator.quotaWarnings()).isEqualTo(warnings);
    }

    @Test
    void reportsDemandAboveTheLimitAsUnsatisfiable() {
        agents(1, "cpus:16;mem:1024");
        allocator.setQuota("gold", res(""), res("cpus:4"));
        allocator.addFramework(GOLD, Set.of("gold"));
        allocator.declareDemand(GOLD, "gold", List.of(TaskShape.of("cpus:8", 1)));

        assertThat(allocator.unsatisfiableDemand()).extracting(UnmetDemand::reason)
                .containsExactly("a task of cpus:8 exceeds the role's quota limit cpus:4");
    }

    @Test
    void anEmptyQuotaRemovesTheRolesQuota() {
        allocator.setQuota("gold", res("cpus:1"), res("cpus:2"));

        assertThat(allocator.setQuota("gold", res(""), res(""))).isEmpty();
        assertThat(allocator.quotas()).isEmpty();
    }
}
