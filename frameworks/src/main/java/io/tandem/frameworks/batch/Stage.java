package io.tandem.frameworks.batch;

import io.tandem.frameworks.common.Constraints;
import io.tandem.sdk.ResourceNeeds;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One stage of a job, validated: {@code count} tasks running {@code command}, each with {@code needs},
 * started once every stage in {@code dependsOn} has finished. A failed task is tried again
 * {@code retries} times, the n-th retry waiting {@code backoff * 2^(n-1)} (at most {@link #MAX_BACKOFF});
 * a task running longer than {@code timeout} (null: no limit) is killed and counts as failed.
 */
public record Stage(String name, String command, int count, ResourceNeeds needs, List<String> dependsOn,
                    int retries, Duration backoff, Duration timeout, Constraints constraints,
                    Map<String, String> env) {
    static final Duration MAX_BACKOFF = Duration.ofMinutes(5);

    public Stage {
        dependsOn = List.copyOf(dependsOn);
        env = Map.copyOf(env);
    }

    /** How long to wait before attempt {@code attempt + 1}, after {@code attempt} attempts failed. */
    Duration backoffAfter(int attempt) {
        return io.tandem.frameworks.common.Backoff.after(backoff, MAX_BACKOFF, Math.max(1, attempt));
    }
}
