package io.tandem.agent.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.agent.loop.ManualTimers;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.HealthCheck;
import org.junit.jupiter.api.Test;

class HealthCheckerTest {
    private final ManualTimers timers = new ManualTimers();
    private final ScriptedProbe probe = new ScriptedProbe();
    private final List<String> heard = new ArrayList<>();

    private HealthChecker checker(HealthCheck check) {
        return new HealthChecker("task t", check, probe, timers, Runnable::run, new HealthChecker.Listener() {
            @Override
            public void healthReported(boolean healthy, String message) {
                heard.add((healthy ? "healthy" : "unhealthy") + ": " + message);
            }

            @Override
            public void killRequested(String message) {
                heard.add("kill: " + message);
            }
        });
    }

    /** delay 2s, interval 1s, timeout 5s, grace 0, 3 failures. */
    private static HealthCheck.Builder check() {
        return HealthCheck.newBuilder().setType(HealthCheck.Type.COMMAND)
                .setCommand(CommandInfo.newBuilder().setValue("true"))
                .setDelaySeconds(2).setIntervalSeconds(1).setTimeoutSeconds(5).setGracePeriodSeconds(0)
                .setConsecutiveFailures(3);
    }

    @Test
    void firstProbeRunsAfterTheDelayAndTheNextAfterTheInterval() {
        probe.answers(true, true, true);
        checker(check().build()).start();

        timers.advance(Duration.ofMillis(1999));
        assertThat(probe.runs).isZero();
        timers.advance(Duration.ofMillis(1));
        assertThat(probe.runs).isEqualTo(1);
        timers.advance(Duration.ofSeconds(1));
        assertThat(probe.runs).isEqualTo(2);
    }

    @Test
    void reportsHealthyOnlyWhenHealthChanges() {
        probe.answers(true, true, false, true, true);
        checker(check().build()).start();

        timers.advance(Duration.ofSeconds(6));

        assertThat(heard).containsExactly("healthy: health check passed", "unhealthy: failed #3",
                "healthy: health check passed");
    }

    @Test
    void reportsEveryCountedFailureAndAsksForAKillAfterConsecutiveFailures() {
        probe.answers(false, false, false, false);
        checker(check().build()).start();

        timers.advance(Duration.ofSeconds(10));

        assertThat(heard).containsExactly("unhealthy: failed #1", "unhealthy: failed #2", "unhealthy: failed #3",
                "kill: Task was killed after 3 consecutive failed health checks; the last: failed #3");
        assertThat(probe.runs).as("checking stops once the kill is asked for").isEqualTo(3);
    }

    @Test
    void ignoresFailuresWithinTheGracePeriodUntilTheFirstSuccess() {
        probe.answers(false, false, true, false);
        checker(check().setDelaySeconds(0).setGracePeriodSeconds(10).build()).start();

        timers.advance(Duration.ofSeconds(3));

        assertThat(heard).as("the grace period ends with the first success")
                .containsExactly("healthy: health check passed", "unhealthy: failed #4");
    }

    @Test
    void countsFailuresOnceTheGracePeriodIsOver() {
        probe.answers(false, false, false, false);
        checker(check().setDelaySeconds(0).setGracePeriodSeconds(1.5).setConsecutiveFailures(2).build()).start();

        timers.advance(Duration.ofSeconds(3));

        assertThat(heard).containsExactly("unhealthy: failed #3", "unhealthy: failed #4",
                "kill: Task was killed after 2 consecutive failed health checks; the last: failed #4");
    }

    @Test
    void aProbeThatOutlivesItsTimeoutIsAbandonedAndCountsAsFailed() {
        CompletableFuture<Probe.Outcome> hanging = new CompletableFuture<>();
        probe.pending(hanging);
        checker(check().setDelaySeconds(0).setTimeoutSeconds(2).setConsecutiveFailures(5).build()).start();

        timers.advance(Duration.ofSeconds(2));

        assertThat(hanging).isCompletedWithValue(Probe.Outcome.unhealthy("health check timed out after 2s"));
        assertThat(heard).containsExactly("unhealthy: health check timed out after 2s");
    }

    @Test
    void stopCancelsTheNextProbeAndAbandonsTheOneUnderWay() {
        CompletableFuture<Probe.Outcome> hanging = new CompletableFuture<>();
        probe.pending(hanging);
        HealthChecker checker = checker(check().setDelaySeconds(0).build());
        checker.start();
        timers.advance(Duration.ZERO);

        checker.stop();
        timers.advance(Duration.ofSeconds(30));

        assertThat(hanging).isDone();
        assertThat(probe.runs).isEqualTo(1);
        assertThat(heard).isEmpty();
    }

    /** Answers probes from a script: true/false complete at once, a pending future stays open. */
    private static final class ScriptedProbe implements Probe {
        private final Deque<CompletableFuture<Outcome>> script = new ArrayDeque<>();
        int runs;

        void answers(boolean... healthy) {
            for (boolean h : healthy) {
                int n = script.size() + 1;
                script.add(CompletableFuture.completedFuture(h ? Outcome.healthy("passed #" + n)
                        : Outcome.unhealthy("failed #" + n)));
            }
        }

        void pending(CompletableFuture<Outcome> future) {
            script.add(future);
        }

        @Override
        public CompletableFuture<Outcome> run() {
            runs++;
            return script.isEmpty() ? new CompletableFuture<>() : script.poll();
        }
    }
}
