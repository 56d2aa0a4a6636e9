package io.tandem.agent;

import io.tandem.agent.process.ExitStatus;
import io.tandem.agent.process.ProcessGroup;
import io.tandem.agent.process.Sandboxes;
import io.tandem.agent.recovery.CheckpointLayout;
import io.tandem.agent.recovery.ExecutorCheckpoint;
import io.tandem.agent.recovery.ProcessWatch;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.mesos.v1.Protos.ContainerID;

/**
 * Rebuilds, from the checkpoint, an executor that an earlier run of the agent started and that still
 * runs: its record (same container id, same sandbox) and its process, watched by its
 * {@link io.tandem.agent.recovery.ProcessStamp} since this JVM cannot wait for it. Its exit status
 * is the one its supervisor shell records; none recorded means the shell was SIGKILLed with its group.
 *
 * <p>Stateless; the watch runs on a virtual thread.
 */
final class ExecutorReattachment {
    private static final Duration WATCH_INTERVAL = Duration.ofMillis(200);
    private static final ExitStatus KILLED = new ExitStatus(128 + 9);

    private ExecutorReattachment() {}

    static ExecutorRecord record(ExecutorCheckpoint checkpoint, Sandboxes sandboxes) {
        String frameworkId = checkpoint.framework().getId().getValue();
        return new ExecutorRecord(checkpoint.framework(), checkpoint.info(),
                ContainerID.newBuilder().setValue(checkpoint.containerId()).build(),
                sandboxes.forExecutor(frameworkId, checkpoint.info().getExecutorId().getValue()));
    }

    /** The executor's process group, or empty when its process is gone after all. */
    static Optional<ProcessGroup> process(ExecutorCheckpoint checkpoint, CheckpointLayout layout) {
        Optional<ProcessHandle> handle = ProcessHandle.of(checkpoint.process().pid());
        if (handle.isEmpty() || !checkpoint.process().stillRuns()) {
            return Optional.empty();
        }
        CompletableFuture<ExitStatus> exit = ProcessWatch.until(checkpoint.process(),
                        layout.executorExit(checkpoint.framework().getId(), checkpoint.info().getExecutorId()),
                        WATCH_INTERVAL)
                .thenApply(recorded -> recorded.orElse(KILLED));
        return Optional.of(new ProcessGroup(handle.get(), exit));
    }

    /** How an executor that is gone ended, as its supervisor shell recorded it. */
    static ExitStatus exit(ExecutorCheckpoint checkpoint) {
        return checkpoint.exit().orElse(KILLED);
    }
}
