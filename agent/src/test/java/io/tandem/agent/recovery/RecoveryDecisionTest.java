package io.tandem.agent.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.tandem.agent.process.ExitStatus;
import java.util.List;
import java.util.Optional;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.Protos.TaskStatus.Reason;
import org.junit.jupiter.api.Test;

class RecoveryDecisionTest {
    private static final FrameworkInfo FRAMEWORK = FrameworkInfo.newBuilder().setUser("u").setName("f")
            .setId(FrameworkID.newBuilder().setValue("fw")).build();
    private static final ProcessStamp PROCESS = new ProcessStamp(10, 20, "boot");
    private static final TaskStatus RUNNING = update(TaskState.TASK_RUNNING, 1);
    private static final TaskStatus FINISHED = update(TaskState.TASK_FINISHED, 2);

    @Test
    void aLiveTaskIsReattachedUnderReconnect() {
        assertThat(RecoveryDecision.decide(running(), true, RecoveryMode.RECONNECT))
                .isEqualTo(new RecoveryDecision.Reattach(PROCESS));
    }

    @Test
    void aLiveTaskIsKilledAndReportedLostUnderCleanup() {
        assertThat(RecoveryDecision.decide(running(), true, RecoveryMode.CLEANUP))
                .isInstanceOfSatisfying(RecoveryDecision.Kill.class, kill -> {
                    assertThat(kill.process()).isEqualTo(PROCESS);
                    assertThat(kill.report().state()).isEqualTo(TaskState.TASK_LOST);
                    assertThat(kill.report().reason()).isEqualTo(Reason.REASON_AGENT_RESTARTED);
                });
    }

    @Test
    void partitionAwareFrameworksHearTaskGone() {
        FrameworkInfo aware = FRAMEWORK.toBuilder().addCapabilities(FrameworkInfo.Capability.newBuilder()
                .setType(FrameworkInfo.Capability.Type.PARTITION_AWARE)).build();

        assertThat(RecoveryDecision.gone(aware)).isEqualTo(TaskState.TASK_GONE);
    }

    @Test
    void aTaskThatEndedMeanwhileIsReportedWithItsRecordedExit() {
        TaskCheckpoint failed = running().withExit(new ExitStatus(3));
        TaskCheckpoint finished = running().withExit(new ExitStatus(0));

        assertThat(RecoveryDecision.decide(failed, false, RecoveryMode.RECONNECT)).isEqualTo(new RecoveryDecision.Report(
                TaskState.TASK_FAILED, Reason.REASON_COMMAND_EXECUTOR_FAILED, "Command exited with status 3"));
        assertThat(RecoveryDecision.decide(finished, false, RecoveryMode.RECONNECT))
                .isEqualTo(new RecoveryDecision.Report(TaskState.TASK_FINISHED, null, "Command exited with status 0"));
    }

    @Test
    void aTaskBeingKilledThatEndedMeanwhileIsReportedKilled() {
        TaskCheckpoint killing = checkpoint(List.of(RUNNING, update(TaskState.TASK_KILLING, 3)), List.of(), Optional.of(PROCESS),
                Optional.of(new ExitStatus(143)));

        assertThat(RecoveryDecision.decide(killing, false, RecoveryMode.RECONNECT)).isEqualTo(new RecoveryDecision.Report(
                TaskState.TASK_KILLED, null, "Command terminated with signal SIGTERM"));
    }

    @Test
    void aDeadTaskWithoutARecordedExitFailsSayingSo() {
        assertThat(RecoveryDecision.decide(running(), false, RecoveryMode.RECONNECT)).isEqualTo(new RecoveryDecision.Report(
                TaskState.TASK_FAILED, Reason.REASON_AGENT_RESTARTED, RecoveryDecision.NOT_RECORDED));
    }

    @Test
    void aTaskWhoseProcessWasNeverRecordedFails() {
        TaskCheckpoint starting = checkpoint(List.of(update(TaskState.TASK_STARTING, 4)), List.of(), Optional.empty(),
                Optional.empty());

        assertThat(RecoveryDecision.decide(starting, false, RecoveryMode.RECONNECT))
                .isInstanceOfSatisfying(RecoveryDecision.Report.class,
                        r -> assertThat(r.state()).isEqualTo(TaskState.TASK_FAILED));
    }

    @Test
    void anEndedTaskIsKeptOnlyWhileUpdatesAreUnacknowledged() {
        TaskCheckpoint acknowledged = checkpoint(List.of(RUNNING, FINISHED), List.of(), Optional.of(PROCESS), Optional.empty());
        TaskCheckpoint unacknowledged = checkpoint(List.of(RUNNING, FINISHED), List.of(FINISHED), Optional.of(PROCESS),
                Optional.empty());

        assertThat(RecoveryDecision.decide(acknowledged, false, RecoveryMode.RECONNECT))
                .isInstanceOf(RecoveryDecision.Forget.class);
        assertThat(RecoveryDecision.decide(unacknowledged, false, RecoveryMode.RECONNECT))
                .isInstanceOf(RecoveryDecision.Resend.class);
        assertThat(unacknowledged.acknowledgedState()).isEqualTo(TaskState.TASK_RUNNING);
    }

    @Test
    void anExecutorsTaskWaitsForItsExecutorThatStillRuns() {
        assertThat(RecoveryDecision.decide(onExecutor(List.of(RUNNING)),
                Optional.of(new ExecutorDecision.Reattach(PROCESS))))
                .isInstanceOf(RecoveryDecision.AwaitExecutor.class);
    }

    @Test
    void anExecutorsTaskFailsWhenItsExecutorEndedWhileTheAgentWasAway() {
        assertThat(RecoveryDecision.decide(onExecutor(List.of(RUNNING)),
                Optional.of(new ExecutorDecision.Ended(Optional.of(new ExitStatus(3))))))
                .isEqualTo(new RecoveryDecision.Report(TaskState.TASK_FAILED, Reason.REASON_EXECUTOR_TERMINATED,
                        "Executor exited with status 3 while the agent was away"));
    }

    @Test
    void anExecutorsTaskBeingKilledIsKilledWhenItsExecutorEnded() {
        TaskStatus killing = update(TaskState.TASK_KILLING, 3);
        assertThat(RecoveryDecision.decide(onExecutor(List.of(RUNNING, killing)),
                Optional.of(new ExecutorDecision.Ended(Optional.empty()))))
                .isEqualTo(new RecoveryDecision.Report(TaskState.TASK_KILLED, Reason.REASON_EXECUTOR_TERMINATED,
                        "Executor exited while the agent was away"));
    }

    @Test
    void anExecutorsTaskIsLostWhenItsExecutorIsKilledOrWasNeverRecorded() {
        assertThat(RecoveryDecision.decide(onExecutor(List.of(RUNNING)),
                Optional.of(new ExecutorDecision.Kill(PROCESS, "its framework does not checkpoint"))))
                .isEqualTo(new RecoveryDecision.Report(TaskState.TASK_LOST, Reason.REASON_AGENT_RESTARTED,
                        "The agent restarted and killed the task's executor: its framework does not checkpoint"));
        assertThat(RecoveryDecision.decide(onExecutor(List.of(RUNNING)), false, RecoveryMode.RECONNECT))
                .isEqualTo(new RecoveryDecision.Report(TaskState.TASK_LOST, Reason.REASON_AGENT_RESTARTED,
                        "The agent restarted before the task's executor was recorded"));
    }

    @Test
    void anEndedExecutorTaskIsKeptOnlyWhileUpdatesAreUnacknowledged() {
        TaskCheckpoint ended = new TaskCheckpoint(FRAMEWORK, onExecutor(List.of()).task(), Optional.empty(),
                Optional.empty(), List.of(RUNNING, FINISHED), List.of(FINISHED), Optional.empty());
        assertThat(RecoveryDecision.decide(ended, Optional.empty())).isInstanceOf(RecoveryDecision.Resend.class);
    }

    @Test
    void anExecutorStillRunningIsAwaitedOnlyWhenItsFrameworkCheckpointsAndTheModeIsReconnect() {
        ExecutorCheckpoint checkpointing = executor(true);
        assertThat(ExecutorDecision.decide(checkpointing, true, RecoveryMode.RECONNECT))
                .isEqualTo(new ExecutorDecision.Reattach(PROCESS));
        assertThat(ExecutorDecision.decide(checkpointing, true, RecoveryMode.CLEANUP))
                .isEqualTo(new ExecutorDecision.Kill(PROCESS, "the agent restarted with --recover=cleanup"));
        assertThat(ExecutorDecision.decide(executor(false), true, RecoveryMode.RECONNECT))
                .isEqualTo(new ExecutorDecision.Kill(PROCESS, "its framework does not checkpoint"));
        assertThat(ExecutorDecision.decide(checkpointing, false, RecoveryMode.RECONNECT))
                .isEqualTo(new ExecutorDecision.Ended(Optional.of(new ExitStatus(137))));
    }

    private static ExecutorCheckpoint executor(boolean checkpoint) {
        return new ExecutorCheckpoint(FRAMEWORK.toBuilder().setCheckpoint(checkpoint).build(), executorInfo(), "c1",
                PROCESS, Optional.empty(), Optional.of(new ExitStatus(137)));
    }

    private static ExecutorInfo executorInfo() {
        return ExecutorInfo.newBuilder().setExecutorId(ExecutorID.newBuilder().setValue("e"))
                .setCommand(CommandInfo.newBuilder().setValue("x")).build();
    }

    private static TaskCheckpoint onExecutor(List<TaskStatus> updates) {
        TaskInfo task = task().toBuilder().clearCommand().setExecutor(executorInfo()).build();
        return new TaskCheckpoint(FRAMEWORK, task, Optional.empty(), Optional.empty(), updates, List.of(),
                Optional.empty());
    }

    private static TaskCheckpoint running() {
        return checkpoint(List.of(RUNNING), List.of(), Optional.of(PROCESS), Optional.empty());
    }

    private static TaskCheckpoint checkpoint(List<TaskStatus> updates, List<TaskStatus> unacknowledged,
                                             Optional<ProcessStamp> process, Optional<ExitStatus> exit) {
        return new TaskCheckpoint(FRAMEWORK, task(), process, Optional.empty(), updates, unacknowledged, exit);
    }

    private static TaskInfo task() {
        return TaskInfo.newBuilder().setName("t").setTaskId(TaskID.newBuilder().setValue("t"))
                .setAgentId(org.apache.mesos.v1.Protos.AgentID.newBuilder().setValue("a"))
                .setCommand(CommandInfo.newBuilder().setValue("sleep 1")).build();
    }

    private static TaskStatus update(TaskState state, int uuid) {
        return TaskStatus.newBuilder().setTaskId(TaskID.newBuilder().setValue("t")).setState(state)
                .setUuid(ByteString.copyFrom(new byte[] {(byte) uuid})).build();
    }
}
