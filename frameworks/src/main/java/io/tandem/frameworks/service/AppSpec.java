package io.tandem.frameworks.service;

import io.tandem.frameworks.common.Constraints;
import io.tandem.sdk.ResourceNeeds;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * One service as deployed: what to run, how many copies, what each needs, how to tell it is healthy,
 * where it may run and how to restart it. Built by {@link AppSpecReader} from an app file; immutable.
 *
 * @param instances the count asked for at deploy time ({@code tandem service scale} changes the desired
 *                  count without changing the spec, so it does not start a rolling update)
 * @param needs     CPUs, memory, disk and the number of ports per instance
 * @param rollbackAfter how many instances of a new version may fail before the update is rolled back
 * @param placementTimeout how long offers may keep arriving with none fitting before a warning is logged;
 *                  the app keeps waiting (impossible demands are refused at deploy instead)
 * @param source    the app file's text, kept so the state store can rebuild this spec exactly
 */
public record AppSpec(String name, int instances, String command, ResourceNeeds needs, Map<String, String> env,
                      Optional<HealthCheckSpec> healthCheck, Constraints constraints,
                      Duration backoffInitial, Duration backoffMax, Duration killGrace, int rollbackAfter,
                      Duration placementTimeout, String source) {

    public AppSpec {
        env = Map.copyOf(env);
    }

    /**
     * Whether {@code other} runs something different, so that deploying it is a rolling update; the
     * instance count alone is a scale.
     */
    public boolean differsInWhatRuns(AppSpec other) {
        return !command.equals(other.command) || !needs.equals(other.needs) || !env.equals(other.env)
                || !healthCheck.equals(other.healthCheck) || !constraints.equals(other.constraints)
                || !killGrace.equals(other.killGrace);
    }

    /** How long to wait before the next launch after {@code failures} consecutive failures: initial * 2^(failures-1), capped. */
    public Duration backoffAfter(int failures) {
        return io.tandem.frameworks.common.Backoff.after(backoffInitial, backoffMax, failures);
    }

    /**
     * How an instance is checked: an HTTP GET answered 2xx/3xx, or a TCP connection accepted, on the
     * instance's port number {@code portIndex}, both run by the scheduler; or {@code command} (exit 0 is
     * healthy), run next to the task by the agent from {@code TaskInfo.health_check}, whose verdicts
     * arrive as {@code TaskStatus.healthy}. Failures within {@code grace} of the task starting do not
     * count until the first success; {@code maxFailures} consecutive failures make it unhealthy.
     */
    public record HealthCheckSpec(Kind kind, int portIndex, String path, Duration grace, Duration interval,
                                  Duration timeout, int maxFailures, String command) {
        public enum Kind { HTTP, TCP, COMMAND }

        public HealthCheckSpec(Kind kind, int portIndex, String path, Duration grace, Duration interval,
                               Duration timeout, int maxFailures) {
            this(kind, portIndex, path, grace, interval, timeout, maxFailures, null);
        }

        /** Run by the agent (reported in status updates) rather than by the scheduler. */
        public boolean byAgent() {
            return kind == Kind.COMMAND;
        }
    }
}
