package io.tandem.agent;

import io.tandem.agent.process.ExitRecorder;
import io.tandem.agent.recovery.CheckpointWriter;
import io.tandem.agent.recovery.ProcessStamp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The executor side of the agent's checkpoint: an executor runs under its supervisor shell
 * ({@link ExitRecorder}), which records its exit status, and once it runs its info, process stamp
 * and container are checkpointed, so that a restarted agent can wait for it to re-subscribe. Without
 * a checkpoint writer (tests, or an agent that keeps nothing) this does nothing.
 *
 * <p>Thread-safe (the writer is); {@link #supervised} and {@link #started} do blocking I/O, so they
 * run on the executor's launch thread.
 */
final class ExecutorCheckpoints {
    private final CheckpointWriter writer;

    /** {@code writer}: null for none. */
    ExecutorCheckpoints(CheckpointWriter writer) {
        this.writer = writer;
    }

    /** The wrapper that runs the executor under its supervisor shell; identity without a checkpoint. */
    UnaryOperator<List<String>> supervised(ExecutorRecord executor) throws IOException {
        if (writer == null) {
            return UnaryOperator.identity();
        }
        Path exit = exitFile(executor);
        Files.createDirectories(exit.getParent());
        Files.deleteIfExists(exit); // an earlier executor of the same id
        return argv -> ExitRecorder.wrap(exit, argv);
    }

    /** Checkpoints the started executor as process {@code pid} in {@code container} (null: none). */
    void started(ExecutorRecord executor, long pid, String container) {
        if (writer != null) {
            ProcessStamp.of(pid).ifPresent(stamp -> writer.executor(executor.key.frameworkId(), executor.info,
                    executor.containerId.getValue(), stamp, container));
        }
    }

    /** The executor has ended: nothing of it is left to recover. */
    void forget(ExecutorRecord executor) {
        if (writer != null) {
            writer.forgetExecutor(executor.key.frameworkId(), executor.key.executorId());
        }
    }

    /** Where the executor's supervisor shell records its exit; null without a checkpoint. */
    Path exitFile(ExecutorRecord executor) {
        return writer == null ? null
                : writer.layout().executorExit(executor.key.frameworkId(), executor.key.executorId());
    }
}
