package io.tandem.allocator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tandem.allocator.Refusal.Reason;
import io.tandem.allocator.sorter.MaxMinSorter;
import io.tandem.model.AgentId;
import io.tandem.model.FrameworkId;
import io.tandem.model.Resources;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProgressiveFillingTest {
    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    private static final AgentId A1 = AgentId.of("a1");
    private static final FrameworkId A = FrameworkId.of("A");
    private static final FrameworkId B = FrameworkId.of("B");

    private static double cpus(Allocator allocator, FrameworkId framework) {
        return allocator.allocated(framework).values().stream().mapToDouble(r -> r.scalar("cpus")).sum();
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void drfExampleRunsThreeTasksOfAAndTwoOfBWhicheverIsAddedFirst(boolean aFirst) {
        Allocator allocator = new Allocator();
        allocator.addAgent(A1, Resources.parse("cpus:18;mem:36864"));
        for (FrameworkId f : aFirst ? List.of(A, B) : List.of(B, A)) {
            allocator.addFramework(f, Set.of("*"));
        }
        allocator.declareDemand(A, "*", List.of(TaskShape.of("cpus:2;mem:8192", 100)));
        allocator.declareDemand(B, "*", List.of(TaskShape.of("cpus:6;mem:2048", 100)));

        List<Grant> grants = allocator.allocate(T0);

        assertThat(grants).containsExactlyInAnyOrder(
                new Grant(A, "*", A1, Resources.parse("cpus:6;mem:24576")),
                new Grant(B, "*", A1, Resources.parse("cpus:12;mem:4096")));
        assertThat(allocator.demand(A)).isEqualTo(Map.of("*", List.of(TaskShape.of("cpus:2;mem:8192", 97))));
        assertThat(allocator.lastRound().refusalsFor(A)).extracting(Refusal::reason)
                .containsExactly(Reason.NO_TASK_FITS);
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void maxMinExampleFillsWaterUpToEachDemand(boolean eachInItsOwnRole) {
        Allocator allocator = new Allocator(new MaxMinSorter(), new MaxMinSorter());
        allocator.addAgent(A1, Resources.parse("cpus:100;mem:100000"));
        Map<String, Integer> halfCpuTasks = Map.of("A", 70, "B", 20, "C", 50, "D", 90);
        halfCpuTasks.forEach((name, count) -> {
            String role = eachInItsOwnRole ? "team-" + name : "*";
            allocator.addFramework(FrameworkId.of(name), Set.of(role));
            allocator.declareDemand(FrameworkId.of(name), role, List.of(TaskShape.of("cpus:0.5", count)));
        });

        allocator.allocate(T0);

        assertThat(cpus(allocator, FrameworkId.of("A"))).isEqualTo(32.5);
        assertThat(cpus(allocator, FrameworkId.of("B"))).isEqualTo(10.0);
        assertThat(cpus(allocator, FrameworkId.of("C"))).isEqualTo(25.0);
        assertThat(cpus(allocator, FrameworkId.of("D"))).isEqualTo(32.5);
    }

    @Test
    void weightsChangeTheSplitAsTheFormulaSays() {
        Allocator allocator = new Allocator();
        allocator.addAgent(A1, Resources.parse("cpus:30;mem:30720"));
        allocator.addFramework(A, Set.of("gold"));
        allocator.addFramework(B, Set.of("tin"));
        allocator.setWeight("gold", 2);
        allocator.declareDemand(A, "gold", List.of(TaskShape.of("cpus:1;mem:1024", 100)));
        allocator.declareDemand(B, "tin", List.of(TaskShape.of("cpus:1;mem:1024", 100)));

        allocator.allocate(T0);

        assertThat(cpus(allocator, A)).isEqualTo(20.0);
        assertThat(cpus(allocator, B)).isEqualTo(10.0);
    }

    @Test
    void frameworksWithoutDemandStillGetWholeAgents() {
        Allocator allocator = new Allocator();
        allocator.addAgent(A1, Resources.parse("cpus:4;mem:4096"));
        allocator.addAgent(AgentId.of("a2"), Resources.parse("cpus:4;mem:4096"));
        allocator.addFramework(A, Set.of("*"));
        allocator.addFramework(B, Set.of("*"));
        allocator.declareDemand(A, "*", List.of(TaskShape.of("cpus:1;mem:1024", 2)));

        allocator.allocate(T0);

        // A's first task, then B (lowest share) takes what is left on a1, A's second task goes to a2, B the rest.
        Resources task = Resources.parse("cpus:1;mem:1024");
        Resources rest = Resources.parse("cpus:3;mem:3072");
        assertThat(allocator.allocated(A)).isEqualTo(Map.of(A1, task, AgentId.of("a2"), task));
        assertThat(allocator.allocated(B)).isEqualTo(Map.of(A1, rest, AgentId.of("a2"), rest));
        assertThat(allocator.lastRound().refusalsFor(B)).isEmpty();
        assertThat(allocator.demand(A)).isEmpty();
    }

    @Test
    void aMetDemandGetsNothingMoreUntilDeclaredAgainAndAnEmptyDeclarationRestoresWholeAgents() {
        Allocator allocator = new Allocator();
        allocator.addAgent(A1, Resources.parse("cpus:4;mem:4096"));
        allocator.addFramework(A, Set.of("*"));
        allocator.declareDemand(A, "*", List.of(TaskShape.of("cpus:1;mem:1024", 1)));

        assertThat(allocator.allocate(T0)).containsExactly(new Grant(A, "*", A1, Resources.parse("cpus:1;mem:1024")));
        assertThat(allocator.allocate(T0)).isEmpty();

        allocator.declareDemand(A, "*", List.of());
        assertThat(allocator.allocate(T0)).containsExactly(new Grant(A, "*", A1, Resources.parse("cpus:3;mem:3072")));
    }

    @Test
    void tasksUseTheRolesReservationBeforeUnreservedResources() {
        Allocator allocator = new Allocator();
        allocator.addAgent(A1, Resources.parse("cpus:4;cpus(prod):1;mem:4096"));
        allocator.addFramework(A, Set.of("prod"));
        allocator.declareDemand(A, "prod", List.of(TaskShape.of("cpus:2;mem:100", 1)));

        assertThat(allocator.allocate(T0))
                .containsExactly(new Grant(A, "prod", A1, Resources.parse("cpus(prod):1;cpus:1;mem:100")));
    }

    @Test
    void reportsDemandThatFitsNoAgentWithTheLargestThereIs() {
        Allocator allocator = new Allocator();
        allocator.addAgent(A1, Resources.parse("cpus:32;mem:65536"));
        allocator.addAgent(AgentId.of("a2"), Resources.parse("cpus:16;mem:131072"));
        allocator.addFramework(A, Set.of("*"));
        allocator.declareDemand(A, "*", List.of(TaskShape.of("cpus:64", 2), TaskShape.of("cpus:20;mem:100000", 1),
                TaskShape.of("cpus:1", 5)));

        assertThat(allocator.unsatisfiableDemand()).extracting(UnmetDemand::reason).containsExactly(
                "a task of cpus:64 fits on no agent; the largest has cpus:32",
                "a task of cpus:20;mem:100000 fits on no agent; no agent has all of it at once");
        assertThat(allocator.unsatisfiableDemand().getFirst().describe()).isEqualTo(
                "framework A (role *): 2 task(s) of cpus:64 cannot run: "
                        + "a task of cpus:64 fits on no agent; the largest has cpus:32");
    }

    @Test
    void refusesDemandForARoleTheFrameworkDoesNotHoldAndMalformedShapes() {
        Allocator allocator = new Allocator();
        allocator.addFramework(A, Set.of("dev"));

        assertThatThrownBy(() -> allocator.declareDemand(A, "prod", List.of(TaskShape.of("cpus:1", 1))))
                .hasMessage("framework A is not subscribed to role 'prod' (its roles: dev)");
        assertThatThrownBy(() -> TaskShape.of("cpus:1", -1)).hasMessageContaining("must not be negative");
        assertThatThrownBy(() -> TaskShape.of("cpus(dev):1", 1)).hasMessageContaining("unreserved scalar");
        assertThatThrownBy(() -> TaskShape.of("disk:10", 1)).hasMessageContaining("at least 0.01 cpus");
    }

    @Test
    void droppingARoleDropsItsDemand() {
        Allocator allocator = new Allocator();
        allocator.addFramework(A, Set.of("dev", "ops"));
        allocator.declareDemand(A, "dev", List.of(TaskShape.of("cpus:1", 1)));
        allocator.declareDemand(A, "ops", List.of(TaskShape.of("cpus:2", 1)));

        allocator.updateFramework(A, Set.of("ops"));

        assertThat(allocator.demand(A)).isEqualTo(Map.of("ops", List.of(TaskShape.of("cpus:2", 1))));
    }

    private static long ports(Grant g) {
        return g.resources().ranges("ports").size();
    }

    @Test
    void aDeclaredPortCountIsGrantedAsThatManyDistinctFreePortsPerTaskAndNeverMoreThanTheAgentHasFree() {
        Allocator allocator = new Allocator();
        Resources agent = Resources.parse("cpus:8;mem:8192;ports:[31000-31004,31010-31012]");   // 8 ports
        allocator.addAgent(A1, agent);
        allocator.addFramework(A, Set.of("*"));
        allocator.addFramework(B, Set.of("*"));
        allocator.declareDemand(A, "*", List.of(TaskShape.of("cpus:1;mem:512;ports:2", 3)));
        allocator.declareDemand(B, "*", List.of(TaskShape.of("cpus:1;mem:512;ports:2", 3)));

        List<Grant> grants = allocator.allocate(T0);

        // 6 tasks want 12 ports; the agent has 8: four tasks, two each by DRF, two ports with every task.
        assertThat(grants).hasSize(2).allSatisfy(g -> {
            assertThat(g.resources().scalar("cpus")).isEqualTo(2.0);
            assertThat(ports(g)).isEqualTo(4);
            assertThat(agent.contains(g.resources())).isTrue();
        });
        assertThat(grants.get(0).resources().ranges("ports").plus(grants.get(1).resources().ranges("ports")).size())
                .as("no port granted twice").isEqualTo(8);
        assertThat(allocator.available(A1).ranges("ports").isEmpty()).isTrue();
        assertThat(allocator.demand(A)).isEqualTo(Map.of("*", List.of(TaskShape.of("cpus:1;mem:512;ports:2", 1))));
        assertThat(allocator.demand(B)).isEqualTo(Map.of("*", List.of(TaskShape.of("cpus:1;mem:512;ports:2", 1))));
    }

    @Test
    void portsAreTakenLowestFirstFromWhatIsStillFree() {
        Allocator allocator = new Allocator();
        allocator.addAgent(A1, Resources.parse("cpus:8;mem:8192;ports:[31000-32000]"));
        allocator.addFramework(A, Set.of("*"));
        allocator.addAllocated(new Grant(B, "*", A1, Resources.parse("cpus:1;ports:[31000-31000]")));
        allocator.declareDemand(A, "*", List.of(TaskShape.of("cpus:1;mem:512;ports:3", 1)));

        assertThat(allocator.allocate(T0)).containsExactly(
                new Grant(A, "*", A1, Resources.parse("cpus:1;mem:512;ports:[31001-31003]")));
    }

    @Test
    void aPortCountNoAgentHasIsReportedAsUnsatisfiable() {
        Allocator allocator = new Allocator();
        allocator.addAgent(A1, Resources.parse("cpus:8;mem:8192;ports:[31000-31002]"));
        allocator.addFramework(A, Set.of("*"));
        allocator.declareDemand(A, "*", List.of(TaskShape.of("cpus:1;mem:512;ports:5", 1)));

        assertThat(allocator.allocate(T0)).isEmpty();
        assertThat(allocator.unsatisfiableDemand()).singleElement().asString()
                .contains("no agent", "ports:3");
    }
}
