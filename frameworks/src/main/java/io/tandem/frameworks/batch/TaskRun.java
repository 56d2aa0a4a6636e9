package io.tandem.frameworks.batch;

import io.tandem.frameworks.common.AgentView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One task of a job across its attempts. Owned by {@link JobRun}; mutated only under the
 * {@link BatchScheduler}'s lock.
 */
final class TaskRun {
    /** Where a task is in its life. */
    enum Phase { WAITING, PENDING, LAUNCHED, RUNNING, FINISHED, FAILED, CANCELLED }

    final Stage stage;
    final int index;
    Phase phase = Phase.WAITING;
    /** Attempts launched so far; the current one's Mesos task id ends with this number. */
    int attempts;
    /** A PENDING task may launch from this instant on (its retry backoff). */
    Instant notBefore = Instant.EPOCH;
    Instant launchedAt;
    String mesosTaskId;
    AgentView agent;
    /** The timeout killed it: its TASK_KILLED is a failure with this explanation. */
    boolean timedOut;
    boolean killRequested;
    String lastMessage = "";
    /** Agents where an attempt failed: a retry goes elsewhere when another agent can take it. */
    final Set<String> failedOn = new HashSet<>();
    /** The failed attempts, oldest first, at most {@link #HISTORY} (the latest). */
    final List<JobStatus.FailedAttempt> failedAttempts = new ArrayList<>();
    static final int HISTORY = 20;

    TaskRun(Stage stage, int index) {
        this.stage = stage;
        this.index = index;
    }

    boolean isLive() {
        return phase == Phase.LAUNCHED || phase == Phase.RUNNING;
    }

    boolean isDone() {
        return phase == Phase.FINISHED || phase == Phase.FAILED || phase == Phase.CANCELLED;
    }

    /** {@code stage-2}: the task's name within its job. */
    String name() {
        return stage.name() + "-" + index;
    }
}
