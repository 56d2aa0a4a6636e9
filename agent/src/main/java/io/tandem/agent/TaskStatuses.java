package io.tandem.agent;

import com.google.protobuf.ByteString;
import io.tandem.agent.fetcher.FetchException;
import io.tandem.api.TandemReasons;
import java.time.Instant;
import java.time.InstantSource;
import java.util.random.RandomGenerator;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;

/**
 * Makes the {@link TaskStatus}es the agent sends: a fresh 16-byte uuid, the time in seconds, the
 * agent's id and the source. Time and randomness are injected so tests can pin them.
 *
 * <p>Used on the agent loop thread.
 */
final class TaskStatuses {
    private final InstantSource clock;
    private final RandomGenerator random;

    InstantSource clock() {
        return clock;
    }

    TaskStatuses(InstantSource clock, RandomGenerator random) {
        this.clock = clock;
        this.random = random;
    }

    /** An update the agent itself decides (the task ran under its supervision or never started). */
    TaskStatus fromAgent(TaskRecord task, AgentID agentId, TaskState state, TaskStatus.Reason reason, String message) {
        TaskStatus.Builder status = TaskStatus.newBuilder()
                .setTaskId(task.task.getTaskId())
                .setState(state)
                .setSource(TaskStatus.Source.SOURCE_AGENT)
                .setUuid(uuid())
                .setTimestamp(seconds(clock.instant()));
        if (agentId != null) {
            status.setAgentId(agentId);
        }
        if (task.executorId != null) {
            status.setExecutorId(task.executorId);
        }
        if (reason != null) {
            status.setReason(reason);
        }
        if (message != null) {
            status.setMessage(message);
        }
        // Mesos has no fetcher reason; Tandem's rides as a label (agent/README.md). Decided here, from
        // the message FetchException words, so command tasks and executors' tasks both get it.
        if (reason == TaskStatus.Reason.REASON_CONTAINER_LAUNCH_FAILED && FetchException.describedIn(message)) {
            status.setLabels(TandemReasons.labels(TandemReasons.FETCHER_FAILED));
        }
        return status.build();
    }

    /** An executor's update as forwarded: its own fields kept, source, agent and executor filled in. */
    TaskStatus fromExecutor(TaskStatus sent, TaskRecord task, AgentID agentId) {
        TaskStatus.Builder status = sent.toBuilder()
                .setSource(TaskStatus.Source.SOURCE_EXECUTOR)
                .setExecutorId(task.executorId);
        if (agentId != null) {
            status.setAgentId(agentId);
        }
        if (!sent.hasTimestamp()) {
            status.setTimestamp(seconds(clock.instant()));
        }
        return status.build();
    }

    /** The answer to reconciliation: the latest state, without uuid, so it is not acknowledged. */
    TaskStatus forReconciliation(TaskRecord task, AgentID agentId) {
        TaskStatus.Builder status = task.latest != null
                ? task.latest.toBuilder().clearUuid()
                : TaskStatus.newBuilder().setTaskId(task.task.getTaskId()).setState(TaskState.TASK_STAGING)
                        .setSource(TaskStatus.Source.SOURCE_AGENT);
        status.setReason(TaskStatus.Reason.REASON_RECONCILIATION).setTimestamp(seconds(clock.instant()));
        if (agentId != null) {
            status.setAgentId(agentId);
        }
        return status.build();
    }

    private ByteString uuid() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        // Version 4, variant 1, as java.util.UUID.randomUUID() would have it.
        bytes[6] = (byte) ((bytes[6] & 0x0f) | 0x40);
        bytes[8] = (byte) ((bytes[8] & 0x3f) | 0x80);
        return ByteString.copyFrom(bytes);
    }

    private static double seconds(Instant instant) {
        return instant.getEpochSecond() + instant.getNano() / 1e9;
    }
}
