package io.tandem.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** A real custom executor ({@link EchoExecutor}, its own JVM) started by a real agent. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExecutorTest {
    private InProcessCluster cluster;
    private FrameworkPool frameworks;

    @BeforeAll
    void startCluster() {
        cluster = InProcessCluster.builder().agents(1).start();
        frameworks = new FrameworkPool(cluster);
    }

    @AfterEach
    void stopFrameworks() {
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
    void twoTasksSharingOneExecutorBothRunThenFinish() throws Exception {
        ExecutorInfo executor = EchoExecutor.info("shared");
        RunningFramework fw = framework("shared-executor",
                Tasks.onExecutor("first", executor).data("finish"), Tasks.onExecutor("second", executor).data("finish"));

        for (TaskID id : List.of(Tasks.id("first"), Tasks.id("second"))) {
            TaskStatus finished = fw.scheduler().awaitState(id, TaskState.TASK_FINISHED);
            assertThat(fw.scheduler().states(id)).containsSubsequence(TaskState.TASK_RUNNING, TaskState.TASK_FINISHED);
            assertThat(finished.getExecutorId()).isEqualTo(executor.getExecutorId());
        }
        TaskStatus any = fw.scheduler().statuses(Tasks.id("first")).getFirst();
        Path executors = cluster.executorSandbox(any.getAgentId(), fw.id(), executor.getExecutorId()).getParent();
        try (Stream<Path> started = Files.list(executors)) {
            assertThat(started).as("executor sandboxes").hasSize(1);
        }
    }

    @Test
    void frameworkMessageReachesTheExecutorAndItsReplyComesBack() {
        ExecutorInfo executor = EchoExecutor.info("echo");
        RunningFramework fw = framework("messages", Tasks.onExecutor("listener", executor).data("wait"));
        TaskStatus running = fw.scheduler().awaitState(Tasks.id("listener"), TaskState.TASK_RUNNING);

        RunningFramework.join(fw.driver().message(running.getAgentId(), executor.getExecutorId(),
                "ping".getBytes(StandardCharsets.UTF_8)));

        RecordingScheduler.Message reply = fw.scheduler().awaitMessage(m -> m.text().startsWith(EchoExecutor.ECHO_PREFIX),
                "echoed by the executor");
        assertThat(reply.text()).isEqualTo(EchoExecutor.ECHO_PREFIX + "ping");
        assertThat(reply.executorId()).isEqualTo(executor.getExecutorId());
        assertThat(reply.agentId()).isEqualTo(running.getAgentId());
    }

    @Test
    void killingAWaitingExecutorTaskEndsItKilled() {
        ExecutorInfo executor = EchoExecutor.info("waiter");
        RunningFramework fw = framework("kills", Tasks.onExecutor("patient", executor).data("wait"));
        TaskStatus running = fw.scheduler().awaitState(Tasks.id("patient"), TaskState.TASK_RUNNING);

        RunningFramework.join(fw.driver().kill(Tasks.id("patient"), running.getAgentId()));

        TaskStatus killed = fw.scheduler().awaitState(Tasks.id("patient"), TaskState.TASK_KILLED);
        assertThat(killed.getExecutorId()).isEqualTo(executor.getExecutorId());
        assertThat(fw.scheduler().states(Tasks.id("patient"))).doesNotContain(TaskState.TASK_FINISHED,
                TaskState.TASK_FAILED);
    }

    @Test
    void updatesAnExecutorSendsBackToBackReachTheFrameworkInOrder() {
        ExecutorInfo executor = EchoExecutor.info("burster");
        List<TaskSpec> tasks = IntStream.range(0, 10)
                .mapToObj(i -> Tasks.onExecutor("burst-" + i, executor).data("burst")).toList();
        RunningFramework fw = framework("bursts", tasks.toArray(TaskSpec[]::new));

        for (TaskSpec task : tasks) {
            fw.scheduler().awaitState(task.taskId(), TaskState.TASK_FINISHED);
            assertThat(fw.scheduler().states(task.taskId())).as(task.taskId().getValue())
                    .containsSubsequence(TaskState.TASK_RUNNING, TaskState.TASK_FINISHED);
        }
    }
}
