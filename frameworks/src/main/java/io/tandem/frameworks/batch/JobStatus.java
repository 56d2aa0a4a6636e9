package io.tandem.frameworks.batch;

import java.util.List;

/**
 * A job's progress as the HTTP API shows it ({@code GET /jobs/ID}) and {@code tandem batch status}
 * prints it. Plain data, serialised by Jackson.
 *
 * @param state RUNNING, SUCCEEDED or FAILED
 * @param outcome why it ended (empty while running)
 * @param waiting why launchable tasks have not launched yet (no offer fits...), empty when none wait
 */
public record JobStatus(String id, String name, String state, String outcome, int total, int finished,
                        int running, int failures, int maxFailures, List<StageStatus> stages,
                        List<TaskStatus> tasks, String waiting) {

    public boolean ended() {
        return !"RUNNING".equals(state);
    }

    /** One stage: how many of its tasks are where. */
    public record StageStatus(String name, List<String> dependsOn, int total, int waiting, int pending,
                              int running, int finished, int failed) {}

    /**
     * One task: its phase, attempts, where its last attempt ran (host and agent id), what it said,
     * the agents where attempts failed, and each failed attempt (kept after a retry succeeds).
     */
    public record TaskStatus(String name, String phase, int attempts, String host, String agentId, String message,
                             List<String> failedOn, List<FailedAttempt> failedAttempts) {}

    /** One failed attempt of a task: its number, where it ran, and what it ended with. */
    public record FailedAttempt(int attempt, String host, String agentId, String message) {}
}
