package io.tandem.frameworks.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.frameworks.common.AgentView;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.mesos.v1.Protos.TaskState;
import org.junit.jupiter.api.Test;

class AppTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final AgentView HOST = new AgentView("a1", "host-a", Map.of());
    private int next;

    private static AppSpec spec(String command, int instances) {
        return AppSpecReader.read("""
                name: web
                instances: %d
                command: %s
                resources: {cpus: 0.1, mem: 32, ports: 1}
                health_check: {type: tcp, grace_period: 10s, interval: 1s, max_consecutive_failures: 2}
                restart_backoff: {initial: 1s, max: 4s}
                rollback_after: 2
                placement_timeout: 30s
                """.formatted(instances, command), "web.yaml");
    }

    /** Launches what the app wants now, as running instances of its current version. */
    private List<Instance> launch(App app, int count, boolean healthy) {
        List<Instance> launched = new java.util.ArrayList<>();
        for (int k = 0; k < count; k++) {
            Instance i = new Instance("web.v" + app.version() + "." + next++, app.version(), app.spec(), HOST, List.of(31000L));
            i.state = TaskState.TASK_RUNNING;
            i.runningSince = T0;
            app.add(i);
            if (healthy) {
                app.checked(i, true, "ok", T0);
            }
            launched.add(i);
        }
        return launched;
    }

    @Test
    void rollingUpdateSurgesByOneAndKillsAnOldInstanceOnlyOnceANewOneIsHealthy() {
        App app = new App(spec("v1", 3), 1, 3);
        List<Instance> old = launch(app, 3, true);
        assertThat(app.launchesWanted(T0)).isZero();

        app.deploy(spec("v2", 3));

        assertThat(app.version()).isEqualTo(2);
        assertThat(app.launchesWanted(T0)).isEqualTo(1);
        Instance first = launch(app, 1, false).getFirst();
        assertThat(app.kills(T0)).isEmpty();
        assertThat(app.launchesWanted(T0)).isZero();

        app.checked(first, true, "ok", T0);
        List<Instance> killed = app.kills(T0);

        assertThat(killed).hasSize(1).allMatch(i -> i.version == 1);
        assertThat(app.launchesWanted(T0)).isEqualTo(1);
        killed.forEach(i -> app.ended(i, "killed", T0));
        launch(app, 1, true);
        app.kills(T0).forEach(i -> app.ended(i, "killed", T0));
        launch(app, 1, true);
        app.kills(T0).forEach(i -> app.ended(i, "killed", T0));

        assertThat(app.instances()).hasSize(3).allMatch(i -> i.version == 2 && i.healthy());
        assertThat(old).noneMatch(i -> app.instances().contains(i));
        assertThat(app.status(T0).state()).isEqualTo("running");
        assertThat(app.status(T0).message()).isEqualTo("deployed v2");
    }

    @Test
    void newVersionThatNeverTurnsHealthyIsRolledBackWithoutTouchingTheOldInstances() {
        App app = new App(spec("v1", 2), 1, 2);
        List<Instance> old = launch(app, 2, true);
        app.deploy(spec("broken", 2));

        Instance bad = launch(app, 1, false).getFirst();
        Instant afterGrace = T0.plusSeconds(11);
        app.checked(bad, false, "connection refused", afterGrace);
        app.checked(bad, false, "connection refused", afterGrace);
        assertThat(app.kills(afterGrace)).containsExactly(bad);
        app.ended(bad, "killed", afterGrace);
        assertThat(app.version()).isEqualTo(2);

        Instant later = afterGrace.plusSeconds(5);
        Instance again = launch(app, app.launchesWanted(later), false).getFirst();
        app.ended(again, "TASK_FAILED: exited 1", later);

        assertThat(app.version()).isEqualTo(1);
        assertThat(app.spec().command()).isEqualTo("v1");
        assertThat(app.previousSpec()).isNull();
        assertThat(app.kills(later)).isEmpty();
        assertThat(app.instances()).containsExactlyElementsOf(old);
        assertThat(app.status(later).message()).startsWith("rolled back v2 to v1");
    }

    @Test
    void failuresBeforeTheGracePeriodEndsDoNotCount() {
        App app = new App(spec("v1", 1), 1, 1);
        Instance starting = launch(app, 1, false).getFirst();

        app.checked(starting, false, "refused", T0.plusSeconds(5));
        app.checked(starting, false, "refused", T0.plusSeconds(6));

        assertThat(app.kills(T0.plusSeconds(6))).isEmpty();
        assertThat(starting.health).isEqualTo(Instance.Health.UNKNOWN);
    }

    @Test
    void unexpectedExitsBackOffExponentiallyUpToTheMaximum() {
        App app = new App(spec("v1", 1), 1, 1);
        Instant now = T0;
        for (long expectedSeconds : new long[] {1, 2, 4, 4}) {
            Instance i = launch(app, app.launchesWanted(now), false).getFirst();
            app.ended(i, "TASK_FAILED", now);
            assertThat(app.launchesWanted(now.plusSeconds(expectedSeconds).minusMillis(1))).isZero();
            now = now.plusSeconds(expectedSeconds);
            assertThat(app.launchesWanted(now)).isEqualTo(1);
        }
        assertThat(app.status(now.minusMillis(500)).state()).isEqualTo("backing-off");
    }

    @Test
    void scalingDownKillsUnhealthyInstancesFirst() {
        App app = new App(spec("v1", 3), 1, 3);
        List<Instance> healthy = launch(app, 2, true);
        Instance pending = launch(app, 1, false).getFirst();

        app.scale(2);

        assertThat(app.kills(T0)).containsExactly(pending);
        assertThat(app.kills(T0)).isEmpty();
        assertThat(app.kills(T0.plus(App.KILL_RESEND))).containsExactly(pending);
        assertThat(healthy).noneMatch(Instance::killing);
    }

    @Test
    void keepsWaitingForPlacementPastThePlacementTimeoutAndSaysWhy() {
        App app = new App(spec("v1", 2), 1, 2);
        app.unplaced(Map.of("host-a", "lacks cpus (needs 0.1, has 0)"), T0);
        app.unplaced(Map.of("host-b", "rack is r2, must be r1"), T0.plusSeconds(29));

        app.unplaced(Map.of(), T0.plusSeconds(3600));

        assertThat(app.launchesWanted(T0.plusSeconds(3600))).isEqualTo(2);
        AppStatus status = app.status(T0.plusSeconds(3600));
        assertThat(status.state()).isEqualTo("waiting");
        assertThat(status.message()).startsWith("waiting: ")
                .contains("host-a: lacks cpus").contains("host-b: rack is r2, must be r1");
        launch(app, 1, true);
        app.placed();
        assertThat(app.launchesWanted(T0.plusSeconds(3600))).isEqualTo(1);
    }

    @Test
    void schedulerRestartedDuringRollingUpdateKillsNoMoreOldInstancesThanTheHealthyCountAllows() {
        App app = new App(spec("v1", 3), 1, 3);
        launch(app, 3, true);
        app.deploy(spec("v2", 3));
        launch(app, 1, false);

        SavedState saved = SavedState.fromJson(SavedState.of("fw-1", List.of(app)).toJson());
        App restored = saved.restore().getFirst();

        assertThat(restored.kills(T0)).isEmpty();
        assertThat(restored.instances()).filteredOn(i -> i.version == 1).hasSize(3).allMatch(Instance::healthy);
        assertThat(restored.launchesWanted(T0)).isZero();
    }

    @Test
    void crashLoopingInstanceBacksOffEvenWhileASiblingPassesItsChecks() {
        App app = new App(spec("v1", 2), 1, 2);
        Instance sibling = launch(app, 1, true).getFirst();
        Instant now = T0;
        for (long expectedSeconds : new long[] {1, 2, 4}) {
            Instance crashing = launch(app, app.launchesWanted(now), false).getFirst();
            app.ended(crashing, "TASK_FAILED", now);
            app.checked(sibling, true, "ok", now.plusMillis(500));
            assertThat(app.launchesWanted(now.plusSeconds(expectedSeconds).minusMillis(1))).isZero();
            now = now.plusSeconds(expectedSeconds);
            assertThat(app.launchesWanted(now)).isEqualTo(1);
        }
    }

    @Test
    void instanceStableForTheBackoffMaximumStartsItsSlotsStreakAgain() {
        App app = new App(spec("v1", 1), 1, 1);
        Instant now = T0;
        for (int k = 0; k < 3; k++) {
            Instance i = launch(app, app.launchesWanted(now), false).getFirst();
            app.ended(i, "TASK_FAILED", now);
            now = now.plusSeconds(4);
        }
        Instance stable = launch(app, 1, false).getFirst();
        app.checked(stable, true, "ok", now);
        now = now.plusSeconds(4);   // healthy for restart_backoff.max

        app.ended(stable, "TASK_FAILED", now);

        assertThat(app.launchesWanted(now.plusSeconds(1))).isEqualTo(1);
    }
}
