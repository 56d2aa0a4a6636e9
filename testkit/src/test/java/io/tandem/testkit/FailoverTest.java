package io.tandem.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.Task;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.Protos.TaskStatus.Reason;
import org.apache.mesos.v1.master.Protos.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** A scheduler that goes away: with a failover timeout it can come back to its tasks; without, they die. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FailoverTest {
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

    private RunningFramework start(FrameworkInfo info, TaskSpec... tasks) {
        return frameworks.start(info, tasks);
    }

    private static FrameworkInfo withFailoverTimeout(String name, double seconds) {
        return RunningFramework.info(name).toBuilder().setFailoverTimeout(seconds).build();
    }

    @Test
    void frameworkThatFailsOverGetsItsRunningTaskBack() {
        FrameworkInfo info = withFailoverTimeout("phoenix", 60);
        TaskID id = Tasks.id("survivor");
        RunningFramework before = start(info, Tasks.shell("survivor", "sleep 600"));
        before.scheduler().awaitState(id, TaskState.TASK_RUNNING);

        before.disconnect();
        RunningFramework after = start(info.toBuilder().setId(before.id()).build());
        RunningFramework.join(after.driver().reconcile(List.of()));

        assertThat(after.id()).isEqualTo(before.id());
        TaskStatus answer = after.scheduler().awaitStatus(id, s -> s.getReason() == Reason.REASON_RECONCILIATION,
                "reconciliation answer");
        assertThat(answer.getState()).isEqualTo(TaskState.TASK_RUNNING);
        assertThat(cluster.operator().task(after.id(), id).getState()).isEqualTo(TaskState.TASK_RUNNING);
    }

    @Test
    void frameworkWithoutFailoverTimeoutHasItsTasksKilledWhenItDisconnects() throws Exception {
        TaskID id = Tasks.id("orphan");
        RunningFramework fw = start(withFailoverTimeout("mayfly", 0),
                Tasks.shell("orphan", "echo $$ > \"$MESOS_SANDBOX/pid\"; exec sleep 600"));
        TaskStatus running = fw.scheduler().awaitState(id, TaskState.TASK_RUNNING);
        long pid = readPid(cluster.sandbox(running.getAgentId(), fw.id(), id).resolve("pid"));

        fw.disconnect();

        FrameworkID gone = fw.id();
        await("framework " + gone.getValue() + " completed").atMost(RecordingScheduler.PATIENCE).until(() ->
                cluster.operator().frameworks().getCompletedFrameworksList().stream()
                        .anyMatch(f -> f.getFrameworkInfo().getId().equals(gone)));
        Response.GetTasks tasks = cluster.operator().tasks();
        assertThat(tasks.getTasksList()).extracting(Task::getTaskId).doesNotContain(id);
        assertThat(tasks.getCompletedTasksList()).filteredOn(t -> t.getTaskId().equals(id))
                .extracting(Task::getState).containsExactly(TaskState.TASK_KILLED);
        await("process " + pid + " gone").atMost(RecordingScheduler.PATIENCE)
                .until(() -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), alive -> !alive);
    }

    private long readPid(Path file) throws Exception {
        await("pid file " + file).atMost(RecordingScheduler.PATIENCE)
                .until(() -> Files.exists(file) && !Files.readString(file).isBlank());
        long pid = Long.parseLong(Files.readString(file).strip());
        frameworks.reapAfterwards(pid);
        return pid;
    }
}
