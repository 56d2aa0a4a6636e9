package io.tandem.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ScenarioReaderTest {
    private static final String CLUSTER = """
            agents:
              - id: a1
                resources: "cpus:4;mem:4096"
            """;

    private static Scenario parse(String text) {
        return ScenarioReader.parse("s.yaml", text);
    }

    @Test
    void readsAgentsRolesQuotaFrameworksAndDemandWithDefaults() {
        Scenario s = parse(CLUSTER + """
                roles:
                  - name: eng/prod
                    weight: 2
                    quota: {guarantee: "cpus:1", limit: "cpus:3"}
                frameworks:
                  - id: A
                    roles: [eng/prod]
                    demand:
                      - {shape: "cpus:1;mem:512", count: 3}
                  - id: B
                """);

        assertThat(s.allocator()).isEqualTo("drf");
        assertThat(s.fairShareResource()).isEqualTo("cpus");
        assertThat(s.roles()).containsExactly(new Scenario.Role("eng/prod", 2.0,
                new Scenario.Quota("cpus:1", "cpus:3")));
        assertThat(s.frameworks().get(0).demand()).containsExactly(new Scenario.Demand(null, "cpus:1;mem:512", 3));
        assertThat(s.frameworks().get(1).roles()).containsExactly("*");
    }

    @Test
    void anUnknownKeyIsNamedWithItsLineAndTheKnownKeys() {
        assertThatThrownBy(() -> parse(CLUSTER + """
                frameworks:
                  - id: A
                    demnad: []
                """)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("s.yaml line 6 (frameworks[0].demnad): unknown key 'demnad'; known keys here: "
                        + "demand, id, roles");
    }

    @Test
    void anUnknownTopLevelKeyIsRefused() {
        assertThatThrownBy(() -> parse("policy: drf\n" + CLUSTER))
                .hasMessageStartingWith("s.yaml line 1 (policy): unknown key 'policy'; known keys here: agents,");
    }

    @Test
    void impossibleWeightsAreEachNamedWithTheirLines() {
        assertThatThrownBy(() -> parse(CLUSTER + """
                roles:
                  - {name: zero, weight: 0}
                  - {name: negative, weight: -1.5}
                  - {name: nan, weight: NaN}
                frameworks:
                  - id: A
                """)).hasMessage(String.join("\n",
                "s.yaml line 5 (roles[0].weight): a weight must be a positive number, got 0",
                "s.yaml line 6 (roles[1].weight): a weight must be a positive number, got -1.5",
                "s.yaml line 7 (roles[2].weight): a weight must be a positive number, got NaN"));
    }

    @Test
    void malformedAndNegativeResourceSpecsNameTheBadToken() {
        assertThatThrownBy(() -> parse("""
                agents:
                  - id: a1
                    resources: "cpus:4;mem:lots"
                  - id: a2
                    resources: "cpus:-4"
                frameworks:
                  - id: A
                """)).hasMessageContaining("s.yaml line 3 (agents[0].resources): malformed resources "
                        + "'cpus:4;mem:lots': malformed resource 'mem:lots'")
                .hasMessageContaining("s.yaml line 5 (agents[1].resources): malformed resources 'cpus:-4'")
                .hasMessageContaining("non-negative");
    }

    @Test
    void aFrameworkInAnUndeclaredRoleIsRefused() {
        assertThatThrownBy(() -> parse(CLUSTER + """
                roles:
                  - name: eng
                frameworks:
                  - id: A
                    roles: [eng, prod]
                """)).hasMessage("s.yaml line 8 (frameworks[0].roles[1]): role 'prod' is not declared under roles:"
                + " (declared: *, eng)");
    }

    @Test
    void demandMustNameOneOfTheFrameworksRolesAndAPossibleCount() {
        assertThatThrownBy(() -> parse(CLUSTER + """
                roles: [{name: eng}, {name: ops}]
                frameworks:
                  - id: A
                    roles: [eng, ops]
                    demand:
                      - {shape: "cpus:1", count: 2}
                      - {role: dev, shape: "cpus:1", count: -3}
                      - {role: eng, shape: "ports:[1-2]", count: 1}
                """)).hasMessage(String.join("\n",
                "s.yaml line 9 (frameworks[0].demand[0]): the framework has 2 roles: name the demand's role",
                "s.yaml line 10 (frameworks[0].demand[1].role): the framework is not in role 'dev' (its roles: eng, ops)",
                "s.yaml line 10 (frameworks[0].demand[1].count): a task count must not be negative, got -3",
                "s.yaml line 11 (frameworks[0].demand[2].shape): a task shape needs at least 0.01 cpus or 32.0 MB mem,"
                        + " got 'ports:[1-2]'"));
    }

    @Test
    void aValueOfTheWrongKindIsNamedWithWhatWasExpected() {
        assertThatThrownBy(() -> parse(CLUSTER + """
                frameworks:
                  - id: A
                    demand:
                      - {shape: "cpus:1", count: many}
                """)).hasMessage("s.yaml line 7 (frameworks[0].demand[0].count): expected a whole number, got String "
                + "\"many\"");
    }

    @Test
    void duplicateIdsAnUnknownAllocatorAndAQuotaLimitBelowItsGuaranteeAreRefused() {
        assertThatThrownBy(() -> parse("""
                allocator: fifo
                agents:
                  - {id: a1, resources: "cpus:1"}
                  - {id: a1, resources: "cpus:1"}
                roles:
                  - {name: eng, quota: {guarantee: "cpus:4", limit: "cpus:2"}}
                frameworks:
                  - id: A
                """)).hasMessage(String.join("\n",
                "s.yaml line 1 (allocator): unknown allocator 'fifo'; known: drf, mmf",
                "s.yaml line 4 (agents[1]): a second agent named 'a1'",
                "s.yaml line 6 (roles[0].quota): the limit cpus:2 is below the guarantee cpus:4"));
    }

    @Test
    void aScenarioWithoutAgentsOrFrameworksIsRefused() {
        assertThatThrownBy(() -> parse("description: nothing\n")).hasMessage(String.join("\n",
                "s.yaml line 1 (agents): a scenario needs at least one agent",
                "s.yaml line 1 (frameworks): a scenario needs at least one framework"));
        assertThatThrownBy(() -> parse("# only a comment\n")).hasMessage("s.yaml: the scenario is empty");
    }

    @Test
    void textThatIsNotYamlIsReportedWithItsLine() {
        assertThatThrownBy(() -> parse("agents: [\n  - x\n"))
                .hasMessageStartingWith("s.yaml line 2: not valid YAML: ");
    }

    @Test
    void linesAreIndexedByJsonPointer() {
        assertThat(ScenarioReader.lines(CLUSTER)).containsEntry("/agents", 1).containsEntry("/agents/0", 2)
                .containsEntry("/agents/0/resources", 3);
        assertThat(ScenarioReader.readable("/frameworks/1/roles/0")).isEqualTo("frameworks[1].roles[0]");
        assertThat(List.of(ScenarioReader.readable(""))).containsExactly("scenario");
    }
}
