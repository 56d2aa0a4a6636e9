package io.tandem.sdk;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.FrameworkID;

/**
 * What the agent tells an executor through environment variables (Mesos executor HTTP API):
 * {@code MESOS_FRAMEWORK_ID}, {@code MESOS_EXECUTOR_ID}, {@code MESOS_AGENT_ENDPOINT} ({@code ip:port}),
 * {@code MESOS_CHECKPOINT}, and, with checkpointing, {@code MESOS_RECOVERY_TIMEOUT} and
 * {@code MESOS_SUBSCRIPTION_BACKOFF_MAX} in Mesos's duration format ({@code 15mins}, {@code 250ms}).
 *
 * @param agentEndpoint the full URI of the agent's {@code /api/v1/executor}
 * @param checkpoint whether the framework checkpoints, i.e. whether the executor should outlive an
 *     agent restart by subscribing again; without it, a lost connection means shut down
 * @param recoveryTimeout how long to keep trying to subscribe again before giving up
 * @param subscriptionBackoffMax the longest wait between two attempts
 * @param shutdownGracePeriod how long the agent waits after SHUTDOWN before killing the executor
 */
public record ExecutorEnvironment(FrameworkID frameworkId, ExecutorID executorId, URI agentEndpoint,
                                  boolean checkpoint, Duration recoveryTimeout, Duration subscriptionBackoffMax,
                                  Duration shutdownGracePeriod) {

    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ns|us|ms|secs|mins|hrs|days|weeks)");

    /**
     * Reads the variables from {@code env} (normally {@link System#getenv()}).
     *
     * @throws IllegalArgumentException naming the variable that is missing or malformed
     */
    public static ExecutorEnvironment from(Map<String, String> env) {
        return new ExecutorEnvironment(
                FrameworkID.newBuilder().setValue(required(env, "MESOS_FRAMEWORK_ID")).build(),
                ExecutorID.newBuilder().setValue(required(env, "MESOS_EXECUTOR_ID")).build(),
                agentUri(required(env, "MESOS_AGENT_ENDPOINT")),
                "1".equals(env.get("MESOS_CHECKPOINT")) || "true".equalsIgnoreCase(env.get("MESOS_CHECKPOINT")),
                duration(env, "MESOS_RECOVERY_TIMEOUT", Duration.ofMinutes(15)),
                duration(env, "MESOS_SUBSCRIPTION_BACKOFF_MAX", Duration.ofSeconds(2)),
                duration(env, "MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD", Duration.ofSeconds(5)));
    }

    /** Parses a Mesos duration such as {@code 15mins}, {@code 2secs}, {@code 250ms} or {@code 1.5hrs}. */
    public static Duration parseDuration(String text) {
        Matcher m = DURATION.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration like 250ms, 5secs or 15mins");
        }
        double amount = Double.parseDouble(m.group(1));
        double nanosPerUnit = switch (m.group(2)) {
            case "ns" -> 1;
            case "us" -> 1e3;
            case "ms" -> 1e6;
            case "secs" -> 1e9;
            case "mins" -> 60e9;
            case "hrs" -> 3600e9;
            case "days" -> 86400e9;
            default -> 7 * 86400e9;   // weeks
        };
        return Duration.ofNanos(Math.round(amount * nanosPerUnit));
    }

    private static String required(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is not set; is this process running as a Mesos executor?");
        }
        return value.strip();
    }

    private static Duration duration(Map<String, String> env, String name, Duration otherwise) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return otherwise;
        }
        try {
            return parseDuration(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
        }
    }

    private static URI agentUri(String endpoint) {
        URI uri = URI.create(endpoint.contains("://") ? endpoint : "http://" + endpoint);
        if (uri.getHost() == null || uri.getPort() < 0) {
            throw new IllegalArgumentException("MESOS_AGENT_ENDPOINT '" + endpoint + "' is not host:port");
        }
        return URI.create(uri.getScheme() + "://" + uri.getRawAuthority() + "/api/v1/executor");
    }
}
