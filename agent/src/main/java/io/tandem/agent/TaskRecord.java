package io.tandem.agent;

import io.tandem.agent.process.ProcessGroup;
import io.tandem.agent.status.TaskKey;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;

/**
 * One task this agent knows: launched and not yet terminal, or terminal with an unacknowledged
 * update. Owned by the agent loop thread.
 */
final class TaskRecord {
    final TaskKey key;
    final FrameworkInfo framework;
    final TaskInfo task;
    /** Null for a command task, which the agent runs itself. */
    final ExecutorID executorId;
    /** The latest update recorded for the task; null while it is still staging. */
    TaskStatus latest;
    /** The state of the latest update the framework acknowledged: what the master knows for sure. */
    TaskState acknowledgedState = TaskState.TASK_STAGING;
    boolean killRequested;
    /** The command task's process once started; always null for executor tasks. */
    ProcessGroup process;
    /** The command task's container once started; null without one (POSIX fallback) and for executor tasks. */
    io.tandem.agent.isolation.Container container;
    Path sandbox;
    /** The command task's health checker while it runs one; null otherwise. */
    io.tandem.agent.health.HealthChecker health;
    /** Why the agent killed the task for failing its health checks; null unless it did. */
    String killedAsUnhealthy;
    /** Completes when a command task's process is gone or never started; unused for executor tasks. */
    final CompletableFuture<Void> ended = new CompletableFuture<>();

    TaskRecord(FrameworkInfo framework, TaskInfo task) {
        this.key = new TaskKey(framework.getId(), task.getTaskId());
        this.framework = framework;
        this.task = task;
        this.executorId = task.hasExecutor() ? task.getExecutor().getExecutorId() : null;
    }

    TaskState state() {
        return latest == null ? TaskState.TASK_STAGING : latest.getState();
    }

    boolean isTerminal() {
        return io.tandem.model.TaskState.valueOf(state().name()).isTerminal();
    }

    boolean isCommandTask() {
        return executorId == null;
    }

    @Override
    public String toString() {
        return "task " + key;
    }
}
