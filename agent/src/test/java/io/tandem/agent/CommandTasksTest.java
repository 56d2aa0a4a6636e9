package io.tandem.agent;

import static io.tandem.agent.Harness.shellTask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.Environment;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandTasksTest {
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

    @Test
    void shellTaskRunsInItsSandboxWithOutputInFiles() throws IOException {
        agent.launch(shellTask("t1", "echo out; echo err >&2; pwd; echo \"$MESOS_TASK_ID $MESOS_FRAMEWORK_ID\""));

        TaskStatus finished = agent.awaitState("t1", TaskState.TASK_FINISHED);

        Path sandbox = agent.sandbox("t1");
        assertThat(agent.states("t1")).containsExactly(
                TaskState.TASK_STARTING, TaskState.TASK_RUNNING, TaskState.TASK_FINISHED);
        assertThat(Files.readAllLines(sandbox.resolve("stdout")))
                .containsExactly("out", sandbox.toRealPath().toString(), "t1 fw-1");
        assertThat(Files.readString(sandbox.resolve("stderr"))).isEqualTo("err\n");
        assertThat(finished.getSource()).isEqualTo(TaskStatus.Source.SOURCE_AGENT);
        assertThat(finished.getAgentId()).isEqualTo(Harness.AGENT_ID);
        assertThat(finished.getUuid().size()).isEqualTo(16);
        assertThat(finished.getTimestamp()).isPositive();
    }

    @Test
    void argvTaskRunsTheProgramWithItsArgumentsAfterArgvZero() throws IOException {
        TaskInfo task = TaskInfo.newBuilder().setName("echo").setTaskId(Harness.taskId("t1"))
                .setAgentId(Harness.AGENT_ID)
                .setCommand(CommandInfo.newBuilder().setShell(false).setValue("/bin/echo")
                        .addAllArguments(List.of("echo", "hello", "$HOME")))
                .build();

        agent.launch(task);

        agent.awaitState("t1", TaskState.TASK_FINISHED);
        assertThat(Files.readString(agent.sandbox("t1").resolve("stdout"))).isEqualTo("hello $HOME\n");
    }

    @Test
    void taskSeesItsEnvironment() throws IOException {
        TaskInfo task = shellTask("t1", "echo \"$GREETING|$MESOS_SANDBOX|$MESOS_AGENT_ID\"").toBuilder()
                .setCommand(CommandInfo.newBuilder()
                        .setValue("echo \"$GREETING|$MESOS_SANDBOX|$MESOS_AGENT_ID\"")
                        .setEnvironment(Environment.newBuilder().addVariables(
                                Environment.Variable.newBuilder().setName("GREETING").setValue("hi"))))
                .build();

        agent.launch(task);

        agent.awaitState("t1", TaskState.TASK_FINISHED);
        assertThat(Files.readString(agent.sandbox("t1").resolve("stdout")))
                .isEqualTo("hi|" + agent.sandbox("t1") + "|agent-1\n");
    }

    @Test
    void nonZeroExitFailsTheTaskWithMesosWording() {
        agent.launch(shellTask("t1", "exit 3"));

        TaskStatus failed = agent.awaitState("t1", TaskState.TASK_FAILED);

        assertThat(failed.getMessage()).isEqualTo("Command exited with status 3");
        assertThat(failed.getReason()).isEqualTo(TaskStatus.Reason.REASON_COMMAND_EXECUTOR_FAILED);
    }

    @Test
    void deathBySignalIsReportedByName() {
        agent.launch(shellTask("t1", "kill -KILL $$"));

        TaskStatus failed = agent.awaitState("t1", TaskState.TASK_FAILED);

        assertThat(failed.getMessage()).isEqualTo("Command terminated with signal SIGKILL");
    }

    @Test
    void programThatDoesNotExistFailsWithTheReason() {
        TaskInfo task = TaskInfo.newBuilder().setName("nope").setTaskId(Harness.taskId("t1"))
                .setAgentId(Harness.AGENT_ID)
                .setCommand(CommandInfo.newBuilder().setShell(false).setValue("/no/such/program"))
                .build();

        agent.launch(task);

        TaskStatus failed = agent.awaitState("t1", TaskState.TASK_FAILED);
        assertThat(failed.getMessage()).contains("/no/such/program").contains("no such executable");
        assertThat(agent.states("t1")).doesNotContain(TaskState.TASK_RUNNING);
    }

    @Test
    void killReachesEveryProcessTheTaskStarted() throws IOException {
        agent.launch(shellTask("t1",
                "sleep 1000 & echo $! >> children; setsid sleep 1000 & echo $! >> children; wait"));
        long shell = agent.pid("t1");
        List<Long> children = childrenOf("t1", 2);
        children.forEach(agent::remember);

        agent.kill("t1", Duration.ofSeconds(5));

        TaskStatus killed = agent.awaitState("t1", TaskState.TASK_KILLED);
        assertThat(killed.getMessage()).isEqualTo("Command terminated with signal SIGTERM");
        for (long pid : List.of(shell, children.get(0), children.get(1))) {
            await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
        }
    }

    @Test
    void childrenLeftBehindDieWhenTheTaskExits() throws IOException {
        agent.launch(shellTask("t1", "sleep 1000 & echo $! > children; exit 0"));

        agent.awaitState("t1", TaskState.TASK_FINISHED);

        long child = childrenOf("t1", 1).getFirst();
        agent.remember(child);
        await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.of(child).map(p -> !p.isAlive()).orElse(true));
    }

    @Test
    void gracePeriodLetsTheTaskCleanUp() throws IOException {
        agent.launch(shellTask("t1", "trap 'echo bye > trapped; exit 0' TERM; echo ready > ready; "
                + "while true; do sleep 0.05; done"));
        agent.pid("t1");
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(agent.sandbox("t1").resolve("ready")));

        agent.kill("t1", Duration.ofSeconds(20));

        TaskStatus killed = agent.awaitState("t1", TaskState.TASK_KILLED);
        assertThat(killed.getMessage()).isEqualTo("Command exited with status 0");
        assertThat(Files.readString(agent.sandbox("t1").resolve("trapped"))).isEqualTo("bye\n");
    }

    @Test
    void taskIgnoringSigtermIsKilledOnceTheGracePeriodEnds() {
        agent.launch(shellTask("t1", "trap '' TERM; echo ready > ready; while true; do sleep 0.05; done"));
        agent.pid("t1");
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(agent.sandbox("t1").resolve("ready")));
        Duration grace = Duration.ofMillis(700);

        long start = System.nanoTime();
        agent.kill("t1", grace);
        TaskStatus killed = agent.awaitState("t1", TaskState.TASK_KILLED);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(grace);
        assertThat(killed.getMessage()).isEqualTo("Command terminated with signal SIGKILL");
    }

    @Test
    void frameworksThatUnderstandKillingHearOfIt() {
        FrameworkInfo framework = Harness.FRAMEWORK.toBuilder().addCapabilities(FrameworkInfo.Capability.newBuilder()
                .setType(FrameworkInfo.Capability.Type.TASK_KILLING_STATE)).build();
        agent.launch(framework, shellTask("t1", "sleep 1000"));
        agent.pid("t1");
        agent.awaitState("t1", TaskState.TASK_RUNNING);

        agent.kill("t1", null);

        agent.awaitState("t1", TaskState.TASK_KILLED);
        assertThat(agent.states("t1")).containsExactly(TaskState.TASK_STARTING, TaskState.TASK_RUNNING,
                TaskState.TASK_KILLING, TaskState.TASK_KILLED);
    }

    @Test
    void othersDoNotGetTaskKilling() {
        agent.launch(shellTask("t1", "sleep 1000"));
        agent.pid("t1");
        agent.awaitState("t1", TaskState.TASK_RUNNING);

        agent.kill("t1", null);

        agent.awaitState("t1", TaskState.TASK_KILLED);
        assertThat(agent.states("t1")).doesNotContain(TaskState.TASK_KILLING);
    }

    private List<Long> childrenOf(String taskId, int count) throws IOException {
        Path file = agent.sandbox(taskId).resolve("children");
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(file) && Files.readAllLines(file).size() >= count);
        return Files.readAllLines(file).stream().map(String::strip).map(Long::parseLong).toList();
    }
}
