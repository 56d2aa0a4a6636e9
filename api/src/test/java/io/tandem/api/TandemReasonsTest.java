package io.tandem.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.junit.jupiter.api.Test;

class TandemReasonsTest {
    private static TaskStatus.Builder failed() {
        return TaskStatus.newBuilder().setTaskId(TaskID.newBuilder().setValue("t")).setState(TaskState.TASK_FAILED)
                .setReason(TaskStatus.Reason.REASON_CONTAINER_LAUNCH_FAILED);
    }

    @Test
    void aLabelledStatusReadsAsItsTandemReasonThroughStrictMesosJson() throws Exception {
        TaskStatus status = failed().setLabels(TandemReasons.labels(TandemReasons.FETCHER_FAILED)).build();

        TaskStatus.Builder parsed = TaskStatus.newBuilder();
        com.google.protobuf.util.JsonFormat.parser().merge(MesosJson.print(status), parsed); // strict: no unknown field

        assertThat(TandemReasons.of(parsed.build())).contains("REASON_FETCHER_FAILED");
        assertThat(parsed.getReason()).isEqualTo(TaskStatus.Reason.REASON_CONTAINER_LAUNCH_FAILED);
    }

    @Test
    void aStatusWithoutTheLabelHasNoTandemReason() {
        assertThat(TandemReasons.of(failed().build())).isEmpty();
    }
}
