package io.tandem.agent;

import static io.tandem.agent.Harness.shellTask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.HealthCheck;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Command tasks with health checks, run as real processes by a real agent supervisor. */
class HealthCheckedTasksTest {
    @TempDir
    Path workDir;

    private Harness agent;

    @BeforeEach
    void startAgent() {
        agent = new Harness(workDir, Duration.ofSeconds(3));
    }

    @AfterEach
    void stopAgent() {
        agent.close();
    }

    /** Checked every 200ms from the start, 1s per check, failures ignored for 20s until the first success. */
    private static TaskInfo checked(String id, String script, String check, int consecutiveFailures) {
        return shellTask(id, script).toBuilder().setHealthCheck(HealthCheck.newBuilder()
                .setType(HealthCheck.Type.COMMAND).setCommand(CommandInfo.newBuilder().setValue(check))
                .setDelaySeconds(0).setIntervalSeconds(0.2).setTimeoutSeconds(10).setGracePeriodSeconds(20)
                .setConsecutiveFailures(consecutiveFailures)).build();
    }

    private List<TaskStatus> healthUpdates(String id) {
        return agent.updates(id).stream().filter(TaskStatus::hasHealthy).toList();
    }

    @Test
    void aTaskWhoseCheckPassesIsReportedHealthyOnce() {
        agent.launch(checked("t1", "exec sleep 600", "echo checked >> checks", 3));
        agent.pid("t1");

        TaskStatus healthy = await().atMost(Duration.ofSeconds(30)).until(() -> healthUpdates("t1"), u -> !u.isEmpty())
                .getFirst();

        assertThat(healthy.getState()).isEqualTo(TaskState.TASK_RUNNING);
        assertThat(healthy.getHealthy()).isTrue();
        assertThat(healthy.getReason()).isEqualTo(TaskStatus.Reason.REASON_TASK_HEALTH_CHECK_STATUS_UPDATED);
        assertThat(healthy.hasUuid()).as("a reliable update, acknowledged like any other").isTrue();
        // Several more checks pass (a check starts only after the one before it was handled) without
        // another update: only changes of health are sent.
        Path checks = agent.sandbox("t1").resolve("checks");
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(checks) && Files.readAllLines(checks).size() >= 5);
        assertThat(healthUpdates("t1")).hasSize(1);
        agent.kill("t1", Duration.ofSeconds(1));
        agent.awaitState("t1", TaskState.TASK_KILLED);
    }

    @Test
    void aTaskWhoseCheckStartsFailingTurnsUnhealthyAndIsKilledAfterConsecutiveFailures() throws Exception {
        agent.launch(checked("t1", "touch ok; exec sleep 600", "test -f ok", 2));
        agent.pid("t1");
        await().atMost(Duration.ofSeconds(30)).until(() -> healthUpdates("t1"), u -> !u.isEmpty());

        Files.delete(agent.sandbox("t1").resolve("ok"));

        TaskStatus killed = agent.awaitState("t1", TaskState.TASK_KILLED);
        List<Boolean> health = healthUpdates("t1").stream()
                .filter(s -> s.getState() == TaskState.TASK_RUNNING).map(TaskStatus::getHealthy).toList();
        assertThat(health).containsExactly(true, false, false);
        assertThat(killed.hasHealthy()).isTrue();
        assertThat(killed.getHealthy()).isFalse();
        assertThat(killed.getMessage()).startsWith("Task was killed after 2 consecutive failed health checks; "
                + "the last: health check command exited with status 1");
    }

    @Test
    void anInvalidHealthCheckIsRefusedBeforeTheTaskStarts() {
        TaskInfo task = checked("t1", "exec sleep 600", "true", 3).toBuilder()
                .setHealthCheck(HealthCheck.newBuilder().setType(HealthCheck.Type.COMMAND)
                        .setCommand(CommandInfo.newBuilder().setValue("true")).setIntervalSeconds(-5)).build();

        agent.launch(task);

        TaskStatus error = agent.awaitState("t1", TaskState.TASK_ERROR);
        assertThat(error.getReason()).isEqualTo(TaskStatus.Reason.REASON_TASK_INVALID);
        assertThat(error.getMessage()).isEqualTo(
                "Task's health check is invalid: interval_seconds must be a non-negative number, not -5.0");
        assertThat(agent.states("t1")).containsExactly(TaskState.TASK_ERROR);
    }
}
