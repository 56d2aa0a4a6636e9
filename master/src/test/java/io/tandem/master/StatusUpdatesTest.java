package io.tandem.master;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.junit.jupiter.api.Test;

class StatusUpdatesTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:01.5Z");

    private static TaskStatus status(TaskState state) {
        return StatusUpdates.fromMaster(Protobufs.taskId("t"), null, state, TaskStatus.Reason.REASON_RECONCILIATION,
                "m", NOW);
    }

    @Test
    void frameworksThatAreNotPartitionAwareSeeLostForPartitionStates() {
        for (TaskState state : new TaskState[] {TaskState.TASK_UNREACHABLE, TaskState.TASK_DROPPED,
                TaskState.TASK_GONE, TaskState.TASK_GONE_BY_OPERATOR, TaskState.TASK_UNKNOWN}) {
            assertThat(StatusUpdates.forFramework(status(state), false).getState()).isEqualTo(TaskState.TASK_LOST);
            assertThat(StatusUpdates.forFramework(status(state), true).getState()).isEqualTo(state);
        }
        assertThat(StatusUpdates.forFramework(status(TaskState.TASK_RUNNING), false).getState())
                .isEqualTo(TaskState.TASK_RUNNING);
    }

    @Test
    void masterUpdatesHaveNoUuidAndComeFromTheMaster() {
        TaskStatus status = status(TaskState.TASK_ERROR);

        assertThat(status.hasUuid()).isFalse();
        assertThat(status.getSource()).isEqualTo(TaskStatus.Source.SOURCE_MASTER);
        assertThat(status.getTimestamp()).isEqualTo(NOW.getEpochSecond() + 0.5);
    }
}
