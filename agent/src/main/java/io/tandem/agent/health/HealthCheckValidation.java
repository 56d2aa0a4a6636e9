package io.tandem.agent.health;

import java.util.Optional;
import org.apache.mesos.v1.Protos.HealthCheck;

/**
 * The rules a task's {@link HealthCheck} must follow before the agent runs the task, as Mesos's
 * master checks them: a known type with its matching section, non-negative durations, a command
 * for COMMAND checks, a port for HTTP and TCP checks, an http(s) scheme and an absolute path.
 */
public final class HealthCheckValidation {
    private HealthCheckValidation() {}

    /** What is wrong with {@code check}, or empty when it may run. */
    public static Optional<String> problem(HealthCheck check) {
        Optional<String> durations = durations(check);
        if (durations.isPresent()) {
            return durations;
        }
        return switch (check.getType()) {
            case COMMAND -> command(check);
            case HTTP -> http(check);
            case TCP -> !check.hasTcp() ? Optional.of("a TCP health check needs 'tcp' with a port")
                    : port(check.getTcp().getPort());
            default -> Optional.of("health check type " + (check.hasType() ? check.getType() + " is not supported"
                    : "is missing") + ": expected COMMAND, HTTP or TCP");
        };
    }

    private static Optional<String> durations(HealthCheck check) {
        record Field(String name, double value) {}
        for (Field field : new Field[] {
                new Field("delay_seconds", check.getDelaySeconds()),
                new Field("interval_seconds", check.getIntervalSeconds()),
                new Field("timeout_seconds", check.getTimeoutSeconds()),
                new Field("grace_period_seconds", check.getGracePeriodSeconds())}) {
            if (!(field.value() >= 0) || Double.isInfinite(field.value())) {
                return Optional.of(field.name() + " must be a non-negative number, not " + field.value());
            }
        }
        return Optional.empty();
    }

    private static Optional<String> command(HealthCheck check) {
        if (!check.hasCommand()) {
            return Optional.of("a COMMAND health check needs 'command'");
        }
        if (check.getCommand().getShell() && check.getCommand().getValue().isBlank()) {
            return Optional.of("the health check's shell command is empty");
        }
        if (!check.getCommand().getShell() && !check.getCommand().hasValue()) {
            return Optional.of("the health check's command names no program ('value')");
        }
        return Optional.empty();
    }

    private static Optional<String> http(HealthCheck check) {
        if (!check.hasHttp()) {
            return Optional.of("an HTTP health check needs 'http' with a port");
        }
        HealthCheck.HTTPCheckInfo http = check.getHttp();
        if (http.hasScheme() && !http.getScheme().equals("http") && !http.getScheme().equals("https")) {
            return Optional.of("the HTTP health check's scheme must be 'http' or 'https', not '" + http.getScheme() + "'");
        }
        if (http.hasPath() && !http.getPath().startsWith("/")) {
            return Optional.of("the HTTP health check's path must start with '/', not '" + http.getPath() + "'");
        }
        return port(http.getPort());
    }

    private static Optional<String> port(int port) {
        return port > 0 && port <= 65535 ? Optional.empty()
                : Optional.of("the health check's port must be between 1 and 65535, not " + port);
    }
}
