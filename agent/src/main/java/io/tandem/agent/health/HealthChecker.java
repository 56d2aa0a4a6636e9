package io.tandem.agent.health;

import io.tandem.agent.loop.Timers;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.mesos.v1.Protos.HealthCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Health-checks one task as Mesos's built-in executors do (docs/health-checks.md): the first probe
 * after {@code delay_seconds}, the next {@code interval_seconds} after each one ends, a probe that
 * takes longer than {@code timeout_seconds} is abandoned and counts as failed. Failures within
 * {@code grace_period_seconds} of the start are ignored until the task has once been healthy.
 * The listener hears of every counted failure and of the first success after a start or a failure;
 * after {@code consecutive_failures} failures in a row it is asked to kill the task, and checking
 * stops.
 *
 * <p>Owned by the agent loop thread: {@code timers} run their actions there and probe results are
 * handed back through {@code loop}.
 */
public final class HealthChecker {
    private static final Logger log = LoggerFactory.getLogger(HealthChecker.class);

    /** Hears what the checks find; called on the loop thread. */
    public interface Listener {
        /** The task's health to report: a change to healthy, or one more counted failure. */
        void healthReported(boolean healthy, String message);

        /** The task failed too many checks in a row and must be killed; no more reports follow. */
        void killRequested(String message);
    }

    private final String name;
    private final HealthCheck check;
    private final Probe probe;
    private final Timers timers;
    private final Executor loop;
    private final Listener listener;

    private boolean stopped;
    private boolean inGracePeriod = true;
    private boolean everHealthy;
    /** Null until the first report, so the first success is reported too. */
    private Boolean lastReported;
    private int consecutiveFailures;
    private Timers.Timer nextProbe;
    private Timers.Timer graceEnd;
    private CompletableFuture<Probe.Outcome> attempt;

    public HealthChecker(String name, HealthCheck check, Probe probe, Timers timers, Executor loop, Listener listener) {
        this.name = name;
        this.check = check;
        this.probe = probe;
        this.timers = timers;
        this.loop = loop;
        this.listener = listener;
    }

    /** Starts checking: the grace period and the delay count from now. */
    public void start() {
        graceEnd = timers.after(seconds(check.getGracePeriodSeconds()), () -> inGracePeriod = false);
        nextProbe = timers.after(seconds(check.getDelaySeconds()), this::probeOnce);
    }

    /** Stops checking; a probe under way is abandoned and its result ignored. */
    public void stop() {
        stopped = true;
        if (nextProbe != null) {
            nextProbe.cancel();
        }
        if (graceEnd != null) {
            graceEnd.cancel();
        }
        if (attempt != null) {
            attempt.complete(Probe.Outcome.unhealthy("health checking stopped"));
        }
    }

    private void probeOnce() {
        if (stopped) {
            return;
        }
        Duration timeout = seconds(check.getTimeoutSeconds());
        CompletableFuture<Probe.Outcome> attempt = probe.run();
        this.attempt = attempt;
        Timers.Timer deadline = timers.after(timeout, () -> attempt.complete(
                Probe.Outcome.unhealthy("health check timed out after " + describe(timeout))));
        attempt.whenComplete((outcome, error) -> loop.execute(() -> {
            deadline.cancel();
            finished(outcome != null ? outcome
                    : Probe.Outcome.unhealthy("health check could not run: " + error.getMessage()));
        }));
    }

    private void finished(Probe.Outcome outcome) {
        attempt = null;
        if (stopped) {
            return;
        }
        if (outcome.healthy()) {
            passed(outcome);
        } else {
            failed(outcome);
        }
        if (!stopped) {
            nextProbe = timers.after(seconds(check.getIntervalSeconds()), this::probeOnce);
        }
    }

    private void passed(Probe.Outcome outcome) {
        consecutiveFailures = 0;
        everHealthy = true;
        log.debug("{}: health check passed ({})", name, outcome.detail());
        if (!Boolean.TRUE.equals(lastReported)) {
            lastReported = true;
            listener.healthReported(true, "health check passed");
        }
    }

    private void failed(Probe.Outcome outcome) {
        if (inGracePeriod && !everHealthy) {
            log.debug("{}: health check failed within the grace period, ignored: {}", name, outcome.detail());
            return;
        }
        consecutiveFailures++;
        lastReported = false;
        listener.healthReported(false, outcome.detail());
        if (consecutiveFailures >= check.getConsecutiveFailures()) {
            stop();
            listener.killRequested("Task was killed after " + consecutiveFailures
                    + " consecutive failed health checks; the last: " + outcome.detail());
        }
    }

    private static Duration seconds(double seconds) {
        return Duration.ofNanos(Math.round(seconds * 1e9));
    }

    private static String describe(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + "s" : duration.toMillis() + "ms";
    }
}
