package io.tandem.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.HealthCheck;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Health checks of command tasks, run by a real agent and seen by a framework through a real master. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HealthCheckTest {
    private InProcessCluster cluster;
    private FrameworkPool frameworks;

    @BeforeAll
    void startCluster() {
        cluster = InProcessCluster.builder().agents(1).start();
        frameworks = new FrameworkPool(cluster);
    }

    @AfterEach
    void stopFrameworksAndStrayProcesses() {
        frameworks.closeAll();
    }

    @AfterAll
    void stopCluster() {
        cluster.close();
    }

    /** Checked every 200ms from the start; failures before the first success are ignored for 20s. */
    private static HealthCheck command(String check, int consecutiveFailures) {
        return HealthCheck.newBuilder().setType(HealthCheck.Type.COMMAND)
                .setCommand(CommandInfo.newBuilder().setValue(check)).setDelaySeconds(0).setIntervalSeconds(0.2)
                .setTimeoutSeconds(10).setGracePeriodSeconds(20).setConsecutiveFailures(consecutiveFailures).build();
    }

    private static List<Boolean> health(RunningFramework fw, TaskID id) {
        return fw.scheduler().statuses(id).stream()
                .filter(s -> s.getReason() == TaskStatus.Reason.REASON_TASK_HEALTH_CHECK_STATUS_UPDATED)
                .map(TaskStatus::getHealthy).toList();
    }

    @Test
    void theFrameworkAndTheOperatorApiSeeAHealthyTask() {
        TaskID id = Tasks.id("healthy-1");
        RunningFramework fw = frameworks.start(RunningFramework.info("healthy"),
                Tasks.shell("healthy-1", "exec sleep 600").healthCheck(command("true", 3)));

        await().atMost(Duration.ofSeconds(30)).until(() -> health(fw, id), h -> !h.isEmpty());

        assertThat(health(fw, id)).containsExactly(true);
        Protos.Task task = await().atMost(Duration.ofSeconds(30))
                .until(() -> cluster.operator().task(fw.id(), id), t -> t != null && t.getStatusesCount() > 0
                        && t.getStatuses(t.getStatusesCount() - 1).hasHealthy());
        assertThat(task.getStatuses(task.getStatusesCount() - 1).getHealthy()).isTrue();
        TaskStatus running = fw.scheduler().awaitState(id, TaskState.TASK_RUNNING);
        RunningFramework.join(fw.driver().kill(id, running.getAgentId()));
        fw.scheduler().awaitState(id, TaskState.TASK_KILLED);
    }

    @Test
    void aTaskThatTurnsUnhealthyIsReportedSoAndKilled() throws Exception {
        TaskID id = Tasks.id("sickly-1");
        RunningFramework fw = frameworks.start(RunningFramework.info("sickly"),
                Tasks.shell("sickly-1", "touch ok; exec sleep 600").healthCheck(command("test -f ok", 2)));
        await().atMost(Duration.ofSeconds(30)).until(() -> health(fw, id), h -> !h.isEmpty());
        TaskStatus running = fw.scheduler().awaitState(id, TaskState.TASK_RUNNING);
        Path sandbox = cluster.sandbox(running.getAgentId(), fw.id(), id);

        Files.delete(sandbox.resolve("ok"));

        TaskStatus killed = fw.scheduler().awaitState(id, TaskState.TASK_KILLED);
        assertThat(health(fw, id)).containsExactly(true, false, false);
        assertThat(killed.getHealthy()).isFalse();
        assertThat(killed.getMessage()).contains("2 consecutive failed health checks");
    }
}
