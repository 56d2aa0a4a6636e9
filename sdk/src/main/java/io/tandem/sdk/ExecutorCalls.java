package io.tandem.sdk;

import java.util.concurrent.CompletableFuture;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.TaskStatus;

/**
 * The calls an executor makes to its agent (Mesos v1 executor API). {@link ExecutorDriver} sends them
 * over HTTP, in the order they were made (each once the one before it was answered); tests of an
 * {@link Executor} can pass a fake. Thread-safe.
 */
public interface ExecutorCalls {

    FrameworkID frameworkId();

    ExecutorID executorId();

    /**
     * Reports a task's status reliably: the driver fills in the executor id, {@code SOURCE_EXECUTOR},
     * a timestamp and a fresh uuid, and keeps the update until the agent acknowledges it, sending it
     * again with the next SUBSCRIBE after a lost connection. The future completes when the agent
     * accepted the update, or at once when the driver is disconnected and will resend it later; it
     * fails with {@link CallRejectedException} when the agent refused it (the update is then dropped).
     * Acknowledgements arrive at {@link Executor#acknowledged}.
     */
    CompletableFuture<Void> update(TaskStatus status);

    /** Sends bytes to the scheduler; delivery is not guaranteed. */
    CompletableFuture<Void> message(byte[] data);
}
