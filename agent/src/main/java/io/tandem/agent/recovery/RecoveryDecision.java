package io.tandem.agent.recovery;

import io.tandem.agent.process.ExitStatus;
import java.util.Optional;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus.Reason;

/**
 * What a restarted agent does with one checkpointed task. Pure: {@link #decide} reads only the
 * checkpoint, whether the task's process still runs (or, for an executor's task, what was decided
 * for its executor), and the mode.
 */
public sealed interface RecoveryDecision {
    /** Ended and every update acknowledged: nothing left to do but remove the checkpoint. */
    record Forget() implements RecoveryDecision {}

    /** Ended, some updates unacknowledged: keep the task until they are. */
    record Resend() implements RecoveryDecision {}

    /** Still runs: watch its process again. */
    record Reattach(ProcessStamp process) implements RecoveryDecision {}

    /** Runs on an executor that still runs: the task is its executor's to report once it re-subscribes. */
    record AwaitExecutor() implements RecoveryDecision {}

    /** Still runs, but {@code --recover=cleanup}: kill it, then report {@code report}. */
    record Kill(ProcessStamp process, Report report) implements RecoveryDecision {}

    /** Ended while the agent was away (or cannot be recovered): report this terminal update. */
    record Report(TaskState state, Reason reason, String message) implements RecoveryDecision {}

    String NOT_RECORDED = "The agent restarted and the task's exit was not recorded";

    /** {@code alive}: the task's process, per its {@link ProcessStamp}, still runs. */
    static RecoveryDecision decide(TaskCheckpoint task, boolean alive, RecoveryMode mode) {
        if (task.isTerminal()) {
            return task.unacknowledged().isEmpty() ? new Forget() : new Resend();
        }
        if (!task.isCommandTask()) {
            return decide(task, Optional.empty());
        }
        if (task.process().isEmpty()) {
            return new Report(TaskState.TASK_FAILED, Reason.REASON_AGENT_RESTARTED,
                    "The agent restarted before the task's process was recorded");
        }
        if (alive) {
            return mode == RecoveryMode.RECONNECT ? new Reattach(task.process().get())
                    : new Kill(task.process().get(), new Report(gone(task.framework()), Reason.REASON_AGENT_RESTARTED,
                            "The agent restarted with --recover=cleanup and killed the task"));
        }
        return ended(task.exit(), task.state() == TaskState.TASK_KILLING);
    }

    /**
     * An executor's task, given what was decided for its executor (empty: the agent stopped before it
     * recorded the executor's process, so nothing is known of it).
     */
    static RecoveryDecision decide(TaskCheckpoint task, Optional<ExecutorDecision> executor) {
        if (task.isTerminal()) {
            return task.unacknowledged().isEmpty() ? new Forget() : new Resend();
        }
        return switch (executor.orElse(null)) {
            case null -> new Report(gone(task.framework()), Reason.REASON_AGENT_RESTARTED,
                    "The agent restarted before the task's executor was recorded");
            case ExecutorDecision.Reattach reattach -> new AwaitExecutor();
            case ExecutorDecision.Kill kill -> new Report(gone(task.framework()), Reason.REASON_AGENT_RESTARTED,
                    "The agent restarted and killed the task's executor: " + kill.why());
            case ExecutorDecision.Ended ended -> new Report(
                    task.state() == TaskState.TASK_KILLING ? TaskState.TASK_KILLED : TaskState.TASK_FAILED,
                    Reason.REASON_EXECUTOR_TERMINATED, ended.exit().map(exit -> exit.describe("Executor"))
                            .orElse("Executor exited") + " while the agent was away");
        };
    }

    /** How a command task ended, from what its supervisor shell recorded; as a live agent would say it. */
    static Report ended(Optional<ExitStatus> exit, boolean killRequested) {
        if (exit.isEmpty()) {
            return new Report(TaskState.TASK_FAILED, Reason.REASON_AGENT_RESTARTED, NOT_RECORDED);
        }
        String message = exit.get().describe("Command");
        if (killRequested) {
            return new Report(TaskState.TASK_KILLED, null, message);
        }
        return exit.get().succeeded() ? new Report(TaskState.TASK_FINISHED, null, message)
                : new Report(TaskState.TASK_FAILED, Reason.REASON_COMMAND_EXECUTOR_FAILED, message);
    }

    /** Mesos's word for a task the agent lost: TASK_GONE to partition-aware frameworks, else TASK_LOST. */
    public static TaskState gone(FrameworkInfo framework) {
        boolean partitionAware = framework.getCapabilitiesList().stream()
                .anyMatch(c -> c.getType() == FrameworkInfo.Capability.Type.PARTITION_AWARE);
        return partitionAware ? TaskState.TASK_GONE : TaskState.TASK_LOST;
    }
}
