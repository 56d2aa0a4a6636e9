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
    void executorTasksAreNotRecovered() {
        TaskInfo onExecutor = task().toBuilder().clearCommand().setExecutor(ExecutorInfo.newBuilder()
                .setExecutorId(ExecutorID.newBuilder().setValue("e")).setCommand(CommandInfo.newBuilder().setValue("x")))
                .build();
        TaskCheckpoint checkpoint = new TaskCheckpoint(FRAMEWORK, onExecutor, Optional.empty(), Optional.empty(),
                List.of(RUNNING), List.of(), Optional.empty());

        assertThat(RecoveryDecision.decide(checkpoint, false, RecoveryMode.RECONNECT))
                .isEqualTo(new RecoveryDecision.Report(TaskState.TASK_LOST, Reason.REASON_AGENT_RESTARTED,
                        "The agent restarted and does not recover executors"));
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
