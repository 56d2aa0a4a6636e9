package io.tandem.agent.recovery;

import io.tandem.agent.process.ExitStatus;
import java.util.Optional;

/**
 * What a restarted agent does with one checkpointed executor. Pure: {@link #decide} reads only the
 * checkpoint, whether the executor's process still runs, and the mode.
 */
public sealed interface ExecutorDecision {
    /** Still runs and will re-subscribe: wait for it (up to the re-registration timeout). */
    record Reattach(ProcessStamp process) implements ExecutorDecision {}

    /** Still runs, but will not be taken back: kill it; its tasks are reported gone. */
    record Kill(ProcessStamp process, String why) implements ExecutorDecision {}

    /** Ended while the agent was away, with the status its supervisor shell recorded, if any. */
    record Ended(Optional<ExitStatus> exit) implements ExecutorDecision {}

    /** {@code alive}: the executor's process, per its {@link ProcessStamp}, still runs. */
    static ExecutorDecision decide(ExecutorCheckpoint executor, boolean alive, RecoveryMode mode) {
        if (!alive) {
            return new Ended(executor.exit());
        }
        if (mode == RecoveryMode.CLEANUP) {
            return new Kill(executor.process(), "the agent restarted with --recover=cleanup");
        }
        // Its executor library gave up when the agent went away (MESOS_CHECKPOINT=0): it cannot come back.
        return executor.checkpointing() ? new Reattach(executor.process())
                : new Kill(executor.process(), "its framework does not checkpoint");
    }
}
