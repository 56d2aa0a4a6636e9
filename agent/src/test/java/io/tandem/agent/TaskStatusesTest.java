package io.tandem.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.api.TandemReasons;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Random;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.Protos.TaskStatus.Reason;
import org.junit.jupiter.api.Test;

class TaskStatusesTest {
    private final TaskStatuses statuses = new TaskStatuses(InstantSource.fixed(Instant.ofEpochSecond(100)), new Random(1));
    private final TaskRecord task = new TaskRecord(FrameworkInfo.newBuilder().setUser("u").setName("fw")
            .setId(Harness.FRAMEWORK_ID).build(), Harness.shellTask("t", "true"));

    private TaskStatus failed(Reason reason, String message) {
        return statuses.fromAgent(task, Harness.AGENT_ID, TaskState.TASK_FAILED, reason, message);
    }

    @Test
    void aLaunchThatFailedFetchingCarriesTheFetcherReasonBesideMesossOwn() {
        TaskStatus status = failed(Reason.REASON_CONTAINER_LAUNCH_FAILED, "Failed to fetch 'http://h/a.tgz': the server answered 404");

        assertThat(status.getReason()).isEqualTo(Reason.REASON_CONTAINER_LAUNCH_FAILED);
        assertThat(TandemReasons.of(status)).contains(TandemReasons.FETCHER_FAILED);
    }

    @Test
    void anExecutorWhoseFetchFailedCarriesItToo() {
        TaskStatus status = failed(Reason.REASON_CONTAINER_LAUNCH_FAILED,
                "Failed to launch executor 'ex': Failed to fetch '/x.jar': no such file");

        assertThat(TandemReasons.of(status)).contains(TandemReasons.FETCHER_FAILED);
    }

    @Test
    void anyOtherLaunchFailureCarriesNoLabel() {
        assertThat(failed(Reason.REASON_CONTAINER_LAUNCH_FAILED, "user 'nobody2' does not exist here").hasLabels())
                .isFalse();
        assertThat(failed(Reason.REASON_COMMAND_EXECUTOR_FAILED, "Failed to fetch 'x': but the command said so")
                .hasLabels()).isFalse();
    }
}
