package io.tandem.frameworks.service;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tandem.frameworks.common.AgentCapacity;
import io.tandem.frameworks.common.AgentView;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceFeasibilityTest {
    private static final List<AgentCapacity> AGENTS = List.of(
            new AgentCapacity(new AgentView("a1", "host-a", Map.of("rack", "r1")), 2, 1024, 100, 10),
            new AgentCapacity(new AgentView("a2", "host-b", Map.of("rack", "r2")), 1, 4096, 100, 10));

    private static AppSpec app(String extra) {
        return AppSpecReader.read("""
                name: web
                instances: 2
                command: serve
                resources: {cpus: 1, mem: 512, ports: 1}
                """ + extra, "web.yaml");
    }

    @Test
    void anInstanceBiggerThanEveryAgentIsRefusedNamingTheResource() {
        AppSpec big = AppSpecReader.read("name: web\ncommand: x\nresources: {cpus: 64, mem: 32}\n", "web.yaml");

        assertThatThrownBy(() -> ServiceFeasibility.check(big, 1, AGENTS))
                .hasMessage("resources.cpus: 64 fits on no agent; the largest offers 2");
    }

    @Test
    void aConstraintNoAgentMeetsIsRefusedNamingIt() {
        assertThatThrownBy(() -> ServiceFeasibility.check(app("constraints: [\"rack:IS:r9\"]"), 2, AGENTS))
                .hasMessage("constraints[0]: no agent can meet rack:IS:r9; for example rack:IS:r9 not met: host-a has rack=r1");
    }

    @Test
    void moreInstancesThanAUniqueConstraintCanSpreadAreRefused() {
        AppSpec unique = app("constraints: [\"hostname:UNIQUE\"]");

        assertThatCode(() -> ServiceFeasibility.check(unique, 2, AGENTS)).doesNotThrowAnyException();
        assertThatThrownBy(() -> ServiceFeasibility.check(unique, 3, AGENTS))
                .hasMessage("instances: 3 can never be placed under constraints[0] (hostname:UNIQUE): the agents allow at most 2");
    }

    @Test
    void resourcesThatFitOnlyOnAnAgentTheConstraintsExcludeAreRefused() {
        AppSpec wide = AppSpecReader.read("name: web\ncommand: x\nresources: {cpus: 1, mem: 2048}\n"
                + "constraints: [\"rack:IS:r1\"]\n", "web.yaml");

        assertThatThrownBy(() -> ServiceFeasibility.check(wide, 1, AGENTS))
                .hasMessage("resources.mem: 2048 fits on no agent; the largest offers 1024");
    }

    @Test
    void withNoAgentKnownYetNothingIsJudged() {
        assertThatCode(() -> ServiceFeasibility.check(app(""), 2, List.of())).doesNotThrowAnyException();
    }
}
