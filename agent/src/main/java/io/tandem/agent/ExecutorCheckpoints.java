package io.tandem.agent;

import io.tandem.agent.process.ExitStatusFile;
import io.tandem.agent.recovery.CheckpointWriter;
import io.tandem.agent.recovery.ProcessStamp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The executor side of the agent's checkpoint: an executor runs under its supervisor, which
 * records its exit status ({@link ExitStatusFile}), and once it runs its info, process stamp
 * and container are checkpointed, so that a restarted agent can wait for it to re-subscribe. Without
 * a checkpoint writer (tests, or an agent that keeps nothing) this does nothing.
 *
 * <p>Thread-safe (the writer is); {@link #statusFile} and {@link #started} do blocking I/O, so they
 * run on the executor's launch thread.
 */
final class ExecutorCheckpoints {
    private final CheckpointWriter writer;

    /** {@code writer}: null for none. */
    ExecutorCheckpoints(CheckpointWriter writer) {
        this.writer = writer;
    }

    /** Where the executor's supervisor records its exit status (made ready here); null without a checkpoint. */
    Path statusFile(ExecutorRecord executor) throws IOException {
        if (writer == null) {
            return null;
        }
        Path exit = exitFile(executor);
        Files.createDirectories(exit.getParent());
        Files.deleteIfExists(exit); // an earlier executor of the same id
        return exit;
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

    /** Where the executor's supervisor records its exit; null without a checkpoint. */
    Path exitFile(ExecutorRecord executor) {
        return writer == null ? null
                : writer.layout().executorExit(executor.key.frameworkId(), executor.key.executorId());
    }
}
