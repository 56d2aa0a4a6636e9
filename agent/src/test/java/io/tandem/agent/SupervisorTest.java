package io.tandem.agent;

import static io.tandem.agent.Harness.FRAMEWORK_ID;
import static io.tandem.agent.Harness.shellTask;
import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.agent.status.TaskKey;
import io.tandem.api.agent.AgentCall;
import io.tandem.api.agent.AgentEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SupervisorTest {
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
    void taskWithNeitherCommandNorExecutorIsAnError() {
        agent.launch(TaskInfo.newBuilder().setName("empty").setTaskId(Harness.taskId("t1"))
                .setAgentId(Harness.AGENT_ID).build());

        assertThat(agent.updates("t1")).singleElement().satisfies(status -> {
            assertThat(status.getState()).isEqualTo(TaskState.TASK_ERROR);
            assertThat(status.getReason()).isEqualTo(TaskStatus.Reason.REASON_TASK_INVALID);
            assertThat(status.getMessage()).contains("either a command or an executor");
        });
    }

    @Test
    void taskWithBothCommandAndExecutorIsAnError() {
        agent.launch(shellTask("t1", "true").toBuilder().setExecutor(ExecutorInfo.newBuilder()
                .setExecutorId(ExecutorID.newBuilder().setValue("e1"))
                .setCommand(CommandInfo.newBuilder().setValue("true"))).build());

        assertThat(agent.updates("t1")).extracting(TaskStatus::getState).containsExactly(TaskState.TASK_ERROR);
    }

    @Test
    void taskIdThatIsNotADirectoryNameIsAnError() {
        agent.launch(shellTask("../escape", "true"));

        assertThat(agent.updates("../escape")).singleElement()
                .satisfies(s -> assertThat(s.getMessage()).contains("'../escape'"));
    }

    @Test
    void aLaunchThatArrivesWhileTheAgentStopsIsDroppedNotStarted() {
        agent.onLoop(agent.supervisor::shutdownAll);

        agent.launch(shellTask("late", "sleep 1000"));

        assertThat(agent.updates("late")).singleElement().satisfies(status -> {
            assertThat(status.getState()).isEqualTo(TaskState.TASK_DROPPED);
            assertThat(status.getMessage()).isEqualTo("Agent is shutting down");
        });
    }

    @Test
    void duplicateTaskIdLeavesTheRunningTaskAlone() {
        agent.launch(shellTask("t1", "sleep 1000"));
        agent.pid("t1");
        agent.awaitState("t1", TaskState.TASK_RUNNING);
        int before = agent.updates("t1").size();

        agent.launch(shellTask("t1", "echo intruder"));

        assertThat(agent.updates("t1")).hasSize(before);
        assertThat(agent.onLoop(() -> agent.supervisor.tasks().get(key("t1")).task.getCommand().getValue()))
                .isEqualTo("sleep 1000");
    }

    @Test
    void acknowledgedTerminalTaskIsForgottenButItsSandboxStays() {
        agent.launch(shellTask("t1", "echo done"));

        agent.awaitState("t1", TaskState.TASK_FINISHED);

        org.awaitility.Awaitility.await().until(() -> agent.onLoop(() -> agent.supervisor.tasks().get(key("t1")) == null));
        assertThat(Files.exists(agent.sandbox("t1").resolve("stdout"))).isTrue();
    }

    @Test
    void unacknowledgedUpdateIsRetriedAndHoldsBackTheNext() {
        agent.autoAcknowledge = false;
        agent.launch(shellTask("t1", "exit 0"));

        org.awaitility.Awaitility.await().until(() -> agent.updates("t1").size() >= 3);

        List<TaskStatus> updates = agent.updates("t1");
        assertThat(updates).extracting(TaskStatus::getState).containsOnly(TaskState.TASK_STARTING);
        assertThat(updates).extracting(TaskStatus::getUuid).containsOnly(updates.getFirst().getUuid());
    }

    @Test
    void reconciliationAnswersWithTheLatestStateAndNoUuid() {
        agent.autoAcknowledge = false;
        agent.launch(shellTask("t1", "sleep 1000"));
        agent.pid("t1");

        agent.send(new AgentEvent.Reconcile(FRAMEWORK_ID, List.of()));

        TaskStatus answer = agent.updates("t1").stream().filter(s -> !s.hasUuid()).findFirst().orElseThrow();
        assertThat(answer.getReason()).isEqualTo(TaskStatus.Reason.REASON_RECONCILIATION);
        assertThat(answer.getState()).isIn(TaskState.TASK_STARTING, TaskState.TASK_RUNNING);
    }

    @Test
    void killOfAnUnknownTaskChangesNothing() {
        agent.kill("ghost", null);

        assertThat(agent.calls).noneMatch(c -> c instanceof AgentCall.Update);
    }

    @Test
    void shuttingDownAFrameworkKillsItsTasksAndForgetsIt() {
        agent.launch(shellTask("t1", "sleep 1000"));
        long pid = agent.pid("t1");

        agent.send(new AgentEvent.ShutdownFramework(FRAMEWORK_ID));

        org.awaitility.Awaitility.await().until(() -> agent.onLoop(() -> agent.supervisor.frameworks().isEmpty()
                && agent.supervisor.tasks().all().isEmpty()));
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    }

    @Test
    void subscribeListsKnownTasksWithTheirFramework() {
        agent.autoAcknowledge = false;
        agent.launch(shellTask("t1", "sleep 1000"));
        agent.pid("t1");

        AgentCall.Subscribe subscribe = agent.onLoop(agent.supervisor::subscribeCall);

        assertThat(subscribe.info().getId()).isEqualTo(Harness.AGENT_ID);
        assertThat(subscribe.tasks()).singleElement().satisfies(t -> {
            assertThat(t.task().getTaskId().getValue()).isEqualTo("t1");
            assertThat(t.frameworkId()).isEqualTo(FRAMEWORK_ID);
        });
        assertThat(subscribe.frameworks()).containsExactly(Harness.FRAMEWORK);
    }

    private static TaskKey key(String taskId) {
        return new TaskKey(FRAMEWORK_ID, Harness.taskId(taskId));
    }
}
