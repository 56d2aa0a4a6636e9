package io.tandem.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Command tasks run as real processes on a real agent, reported through a real master. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CommandTaskTest {
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

    private RunningFramework framework(String name, TaskSpec... tasks) {
        return frameworks.start(RunningFramework.info(name), tasks);
    }

    @Test
    void commandTaskFinishesAndLeavesItsOutputInItsSandbox() throws Exception {
        TaskID id = Tasks.id("echo-1");
        RunningFramework fw = framework("echo", Tasks.shell("echo-1", "echo hello from tandem"));

        TaskStatus finished = fw.scheduler().awaitState(id, TaskState.TASK_FINISHED);

        assertThat(fw.scheduler().states(id)).containsSubsequence(TaskState.TASK_RUNNING, TaskState.TASK_FINISHED);
        Path stdout = cluster.sandbox(finished.getAgentId(), fw.id(), id).resolve("stdout");
        assertThat(Files.readString(stdout)).contains("hello from tandem");
    }

    @Test
    void commandExitingWithThreeFailsWithTheStatusInTheMessage() {
        TaskID id = Tasks.id("exit-3");
        RunningFramework fw = framework("exit", Tasks.shell("exit-3", "exit 3"));

        TaskStatus failed = fw.scheduler().awaitState(id, TaskState.TASK_FAILED);

        assertThat(failed.getMessage()).contains("status 3");
        assertThat(fw.scheduler().states(id)).doesNotContain(TaskState.TASK_FINISHED);
    }

    @Test
    void killedSleepEndsKilledAndItsProcessIsGone() throws Exception {
        TaskID id = Tasks.id("sleeper");
        RunningFramework fw = framework("sleep",
                Tasks.shell("sleeper", "echo $$ > \"$MESOS_SANDBOX/pid\"; exec sleep 600"));
        TaskStatus running = fw.scheduler().awaitState(id, TaskState.TASK_RUNNING);
        Path pidFile = cluster.sandbox(running.getAgentId(), fw.id(), id).resolve("pid");
        await("pid file of the task").atMost(Duration.ofSeconds(30))
                .until(() -> Files.exists(pidFile) && !Files.readString(pidFile).isBlank());
        long pid = Long.parseLong(Files.readString(pidFile).strip());
        frameworks.reapAfterwards(pid);
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).contains(true);

        RunningFramework.join(fw.driver().kill(id, running.getAgentId()));

        fw.scheduler().awaitState(id, TaskState.TASK_KILLED);
        await("process " + pid + " gone").atMost(Duration.ofSeconds(30))
                .until(() -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), alive -> !alive);
        assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEqualTo(Optional.empty());
    }
}
