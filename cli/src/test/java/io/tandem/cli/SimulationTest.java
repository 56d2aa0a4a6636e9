package io.tandem.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.model.FrameworkId;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimulationTest {

    private static Simulation simulation(String yaml) {
        return new Simulation(ScenarioReader.parse("s.yaml", yaml));
    }

    private static String report(Simulation simulation) {
        return new SimulationReport("s.yaml", simulation, simulation.run()).render();
    }

    private static Simulation.Outcome outcome(Simulation simulation, String framework) {
        return simulation.outcomes().stream().filter(o -> o.member().framework().equals(FrameworkId.of(framework)))
                .findFirst().orElseThrow();
    }

    @Test
    void aRoleOfWeightTwoGetsTwiceTheShare() {
        Simulation s = simulation("""
                agents: [{id: a1, resources: "cpus:30;mem:30720"}]
                roles: [{name: gold, weight: 2}, {name: tin}]
                frameworks:
                  - {id: A, roles: [gold], demand: [{shape: "cpus:1;mem:1024", count: 100}]}
                  - {id: B, roles: [tin], demand: [{shape: "cpus:1;mem:1024", count: 100}]}
                """);

        String text = report(s);

        assertThat(outcome(s, "A").tasks()).isEqualTo(20);
        assertThat(outcome(s, "B").tasks()).isEqualTo(10);
        assertThat(text).contains("roles:\nROLE  WEIGHT  QUOTA  ALLOCATED          SHARE\n")
                .contains("gold  2       -      cpus:20;mem:20480  1/3\n")
                .contains("tin   1       -      cpus:10;mem:10240  1/3\n");
    }

    @Test
    void runsRoundsUntilOneGrantsNothing() {
        Simulation s = simulation("""
                agents: [{id: a1, resources: "cpus:4;mem:4096"}, {id: a2, resources: "cpus:4;mem:4096"}]
                frameworks:
                  - {id: A, demand: [{shape: "cpus:1;mem:1024", count: 3}]}
                """);

        List<Simulation.Round> rounds = s.run();

        assertThat(rounds).hasSize(2);
        assertThat(rounds.get(0).tasks()).containsValue(3);
        assertThat(rounds.get(1).grants()).isEmpty();
        assertThat(outcome(s, "A").held().scalar("cpus")).isEqualTo(3.0);
        assertThat(outcome(s, "A").unmet()).isEmpty();
    }

    @Test
    void demandNoAgentCanHoldIsUnmetWithTheAllocatorsReason() {
        Simulation s = simulation("""
                agents: [{id: a1, resources: "cpus:32;mem:65536"}]
                frameworks:
                  - {id: A, demand: [{shape: "cpus:64;mem:1024", count: 2}]}
                """);

        String text = report(s);

        assertThat(outcome(s, "A").tasks()).isZero();
        assertThat(outcome(s, "A").reason()).contains("fits on no agent").contains("cpus:32");
        assertThat(text).contains("2 x cpus:64;mem:1024: a task of cpus:64;mem:1024 fits on no agent");
    }

    @Test
    void aFrameworkThatDeclaresNothingIsOfferedWholeAgentsAsInMesos() {
        Simulation s = simulation("""
                agents: [{id: a1, resources: "cpus:4;mem:4096"}]
                frameworks:
                  - {id: A}
                """);

        String text = report(s);

        assertThat(outcome(s, "A").tasks()).isEqualTo(-1);
        assertThat(text).contains("  A (role *): offered cpus:4;mem:4096 on a1\n")
                .contains("A          *     -      cpus:4;mem:4096  1 of cpus       (none declared)\n");
    }

    @Test
    void aQuotaLimitCapsTheRoleAndTheRolesTableShowsIt() {
        Simulation s = simulation("""
                agents: [{id: a1, resources: "cpus:10;mem:10240"}]
                roles:
                  - {name: eng}
                  - {name: eng/prod, quota: {limit: "cpus:3"}}
                frameworks:
                  - {id: A, roles: [eng/prod], demand: [{shape: "cpus:1;mem:128", count: 5}]}
                """);

        String text = report(s);

        assertThat(outcome(s, "A").tasks()).isEqualTo(3);
        assertThat(text).contains("eng/prod  1       guarantee none, limit cpus:3");
    }

    @Test
    void maxMinWithWeightsSaysWhereItDiffersFromPlainWaterFilling() {
        Simulation s = simulation("""
                allocator: mmf
                agents: [{id: a1, resources: "cpus:30"}]
                roles: [{name: gold, weight: 2}, {name: tin}]
                frameworks:
                  - {id: A, roles: [gold], demand: [{shape: "cpus:1", count: 100}]}
                  - {id: B, roles: [tin], demand: [{shape: "cpus:1", count: 100}]}
                """);

        String text = report(s);

        assertThat(text).contains("  round 1: 15 each to A, B; 0 left over\n")
                .contains("the allocator differs from plain water-filling (weights, roles, quota, reservations or "
                        + "frameworks without demand): A has 20, water-filling gives 15; B has 10, water-filling "
                        + "gives 15\n");
    }

    @Test
    void sharesPrintAsSimpleFractionsWhenExact() {
        assertThat(SimulationReport.fraction(2.0 / 3)).isEqualTo("2/3");
        assertThat(SimulationReport.fraction(0.5)).isEqualTo("1/2");
        assertThat(SimulationReport.fraction(1)).isEqualTo("1");
        assertThat(SimulationReport.fraction(0.123456)).isEqualTo("0.123");
        assertThat(SimulationReport.number(32.5)).isEqualTo("32.5");
        assertThat(SimulationReport.number(10)).isEqualTo("10");
    }
}
