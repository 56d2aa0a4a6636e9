package io.tandem.master;

import io.tandem.model.AgentId;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.Protos.TimeInfo;

/**
 * Status updates the master writes itself (source MASTER, no uuid, so nobody acknowledges them),
 * and the one rule for what a framework may see.
 */
final class StatusUpdates {
    /** States only partition-aware frameworks understand; others see TASK_LOST instead (as in Mesos). */
    private static final Set<TaskState> PARTITION_AWARE_ONLY = EnumSet.of(TaskState.TASK_UNREACHABLE,
            TaskState.TASK_DROPPED, TaskState.TASK_GONE, TaskState.TASK_GONE_BY_OPERATOR, TaskState.TASK_UNKNOWN);

    private StatusUpdates() {}

    /** A status from the master; {@code reason} and {@code agentId} may be null. */
    static TaskStatus fromMaster(TaskID taskId, AgentId agentId, TaskState state, TaskStatus.Reason reason,
                                 String message, Instant now) {
        TaskStatus.Builder status = TaskStatus.newBuilder()
                .setTaskId(taskId)
                .setState(state)
                .setSource(TaskStatus.Source.SOURCE_MASTER)
                .setMessage(message)
                .setTimestamp(seconds(now));
        if (reason != null) {
            status.setReason(reason);
        }
        if (agentId != null) {
            status.setAgentId(MesosIds.proto(agentId));
        }
        return status.build();
    }

    /** {@code status} as a framework with or without the PARTITION_AWARE capability must see it. */
    static TaskStatus forFramework(TaskStatus status, boolean partitionAware) {
        if (partitionAware || !PARTITION_AWARE_ONLY.contains(status.getState())) {
            return status;
        }
        return status.toBuilder().setState(TaskState.TASK_LOST).build();
    }

    static double seconds(Instant instant) {
        return instant.getEpochSecond() + instant.getNano() / 1e9;
    }

    static TimeInfo timeInfo(Instant instant) {
        return TimeInfo.newBuilder().setNanoseconds(instant.getEpochSecond() * 1_000_000_000L + instant.getNano())
                .build();
    }
}
