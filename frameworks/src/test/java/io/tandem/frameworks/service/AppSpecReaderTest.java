package io.tandem.frameworks.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.tandem.frameworks.common.Constraint;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class AppSpecReaderTest {
    private static final String FULL = """
            name: web
            instances: 3
            command: exec python3 -m http.server $PORT0
            resources:
              cpus: 0.1
              mem: 64
              ports: 2
            env:
              GREETING: hello
            health_check:
              type: http
              port_index: 1
              path: /ok
              grace_period: 5s
              interval: 500ms
              timeout: 1s
              max_consecutive_failures: 2
            constraints:
              - hostname:UNIQUE
              - rack:IS:r1
              - zone:MAX_PER:2
            restart_backoff:
              initial: 200ms
              max: 5s
            kill_grace_period: 2s
            rollback_after: 1
            placement_timeout: 30s
            """;

    @Test
    void readsEveryFieldOfAFullAppFile() {
        AppSpec spec = AppSpecReader.read(FULL, "web.yaml");

        assertThat(spec.name()).isEqualTo("web");
        assertThat(spec.instances()).isEqualTo(3);
        assertThat(spec.needs().cpus()).isEqualTo(0.1);
        assertThat(spec.needs().ports()).isEqualTo(2);
        assertThat(spec.env()).containsEntry("GREETING", "hello");
        assertThat(spec.healthCheck()).hasValueSatisfying(h -> {
            assertThat(h.kind()).isEqualTo(AppSpec.HealthCheckSpec.Kind.HTTP);
            assertThat(h.portIndex()).isEqualTo(1);
            assertThat(h.path()).isEqualTo("/ok");
            assertThat(h.interval()).isEqualTo(Duration.ofMillis(500));
            assertThat(h.maxFailures()).isEqualTo(2);
        });
        assertThat(spec.constraints().list()).containsExactly(new Constraint.Unique("hostname"),
                new Constraint.Is("rack", "r1"), new Constraint.MaxPer("zone", 2));
        assertThat(spec.backoffInitial()).isEqualTo(Duration.ofMillis(200));
        assertThat(spec.rollbackAfter()).isEqualTo(1);
        assertThat(spec.source()).isEqualTo(FULL);
    }

    @Test
    void fillsDefaultsForAMinimalFile() {
        AppSpec spec = AppSpecReader.read("name: a\ncommand: sleep 100\nresources: {cpus: 1, mem: 32}\n", "a.yaml");

        assertThat(spec.instances()).isEqualTo(1);
        assertThat(spec.healthCheck()).isEmpty();
        assertThat(spec.constraints().list()).isEmpty();
        assertThat(spec.backoffMax()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void unknownKeyIsNamedWithItsLine() {
        AppSpecException e = catchThrowableOfType(AppSpecException.class, () -> AppSpecReader.read(
                "name: web\ncommand: x\nresources: {cpus: 1, mem: 32}\nreplicas: 3\n", "web.yaml"));

        assertThat(e.field()).isEqualTo("replicas");
        assertThat(e.line()).isEqualTo(4);
        assertThat(e).hasMessageStartingWith("web.yaml line 4: replicas: unknown field (known: ").hasMessageContaining("instances");
    }

    @Test
    void unknownNestedKeyIsNamedWithItsPathAndLine() {
        String text = FULL.replace("  interval: 500ms", "  intervl: 500ms");

        AppSpecException e = catchThrowableOfType(AppSpecException.class, () -> AppSpecReader.read(text, "web.yaml"));

        assertThat(e.field()).isEqualTo("health_check.intervl");
        assertThat(e.line()).isEqualTo(15);
    }

    @Test
    void impossibleResourcesAreNamed() {
        assertThatThrownBy(() -> AppSpecReader.read("name: a\ncommand: x\nresources:\n  cpus: -1\n  mem: 32\n", "a.yaml"))
                .isInstanceOf(AppSpecException.class)
                .hasMessage("a.yaml line 4: resources.cpus: must be a positive number, got -1.0");
        assertThatThrownBy(() -> AppSpecReader.read("name: a\ncommand: x\nresources:\n  cpus: 1\n  mem: 0\n", "a.yaml"))
                .hasMessageContaining("line 5: resources.mem: must be a positive number of MB");
        assertThatThrownBy(() -> AppSpecReader.read("name: a\ncommand: x\nresources:\n  cpus: lots\n  mem: 1\n", "a.yaml"))
                .hasMessageContaining("line 4: resources.cpus: wrong type");
    }

    @Test
    void missingFieldIsNamedAtItsParent() {
        AppSpecException e = catchThrowableOfType(AppSpecException.class,
                () -> AppSpecReader.read("name: a\ncommand: x\nresources:\n  cpus: 1\n", "a.yaml"));

        assertThat(e.field()).isEqualTo("resources.mem");
        assertThat(e.line()).isEqualTo(3);
        assertThat(e).hasMessageEndingWith("resources.mem: is required");
    }

    @Test
    void commandHealthChecksNeedTheirCommandAndNoPort() {
        String noCommand = FULL.replace("type: http", "type: command").replace("  path: /ok\n", "")
                .replace("  port_index: 1\n", "");
        String withPort = FULL.replace("type: http", "type: command\n  command: test -f ready").replace("  path: /ok\n", "");

        assertThatThrownBy(() -> AppSpecReader.read(noCommand, "web.yaml"))
                .hasMessageContaining("health_check.command: is required for a command check");
        assertThatThrownBy(() -> AppSpecReader.read(withPort, "web.yaml"))
                .hasMessageContaining("health_check.port_index: only for http and tcp checks");
        AppSpec ok = AppSpecReader.read(noCommand.replace("type: command", "type: command\n  command: test -f ready"), "web.yaml");
        assertThat(ok.healthCheck()).hasValueSatisfying(h -> {
            assertThat(h.kind()).isEqualTo(AppSpec.HealthCheckSpec.Kind.COMMAND);
            assertThat(h.command()).isEqualTo("test -f ready");
            assertThat(h.byAgent()).isTrue();
        });
    }

    @Test
    void healthCheckNeedsAPortTheAppAsksFor() {
        String text = FULL.replace("ports: 2", "ports: 1");

        assertThatThrownBy(() -> AppSpecReader.read(text, "web.yaml"))
                .hasMessageContaining("health_check.port_index: is 1 but the app asks for 1 port(s)");
    }

    @Test
    void aMalformedConstraintIsRefusedWithItsLine() {
        String text = FULL.replace("rack:IS:r1", "rack:NEAR:r1");

        assertThatThrownBy(() -> AppSpecReader.read(text, "web.yaml"))
                .hasMessageContaining("line 20: constraints[1]: constraint 'rack:NEAR:r1' has unknown operator 'NEAR'");
    }

    @Test
    void durationsNeedAUnit() {
        String text = FULL.replace("interval: 500ms", "interval: 500");

        assertThatThrownBy(() -> AppSpecReader.read(text, "web.yaml"))
                .hasMessageContaining("line 15: health_check.interval: '500' is not a duration with a unit");
    }

    @Test
    void aDurationTooLongForALongIsNamedWithItsFieldAndLine() {
        String text = FULL.replace("interval: 500ms", "interval: 99999999999999999999s");

        assertThatThrownBy(() -> AppSpecReader.read(text, "web.yaml"))
                .isInstanceOf(AppSpecException.class)
                .hasMessageContaining("line 15: health_check.interval: '99999999999999999999s' is too long");
    }

    @Test
    void badNamesAndBrokenYamlAreRefused() {
        assertThatThrownBy(() -> AppSpecReader.read("name: Web.App\ncommand: x\nresources: {cpus: 1, mem: 1}\n", "a.yaml"))
                .hasMessageContaining("line 1: name: 'Web.App' must be");
        assertThatThrownBy(() -> AppSpecReader.read("name: 'unterminated\ncommand: x\n", "a.yaml"))
                .hasMessageStartingWith("a.yaml line").hasMessageContaining("not valid YAML");
        assertThatThrownBy(() -> AppSpecReader.read("  \n", "a.yaml")).hasMessage("a.yaml: empty app file");
    }
}
