package io.tandem.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.nio.file.Path;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.ContainerID;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.executor.Protos.Call;
import org.apache.mesos.v1.executor.Protos.Event;
import org.junit.jupiter.api.Test;

class ResubscriptionTest {
    private static final ExecutorInfo EXECUTOR = ExecutorInfo.newBuilder()
            .setExecutorId(ExecutorID.newBuilder().setValue("e1")).setCommand(CommandInfo.newBuilder().setValue("x"))
            .build();

    private final ExecutorRecord executor = new ExecutorRecord(Harness.FRAMEWORK, EXECUTOR,
            ContainerID.newBuilder().setValue("c").build(), Path.of("sandbox"));

    @Test
    void anUpdateNeverReceivedIsTakenAndOneAlreadyAcknowledgedIsAcknowledgedAgain() {
        TaskRecord task = launched("t1", TaskState.TASK_RUNNING);
        executor.received.add(uuid(1));
        executor.acknowledged.add(uuid(1));
        executor.received.add(uuid(2));

        Resubscription.Outcome outcome = Resubscription.decide(executor, Call.Subscribe.newBuilder()
                .addUnacknowledgedUpdates(update(task, TaskState.TASK_RUNNING, 1))
                .addUnacknowledgedUpdates(update(task, TaskState.TASK_RUNNING, 2))
                .addUnacknowledgedUpdates(update(task, TaskState.TASK_FINISHED, 3)).build());

        assertThat(outcome.updates()).extracting(TaskStatus::getUuid).containsExactly(uuid(3));
        assertThat(outcome.acknowledgements()).extracting(e -> e.getAcknowledged().getUuid()).containsExactly(uuid(1));
        assertThat(outcome.acknowledgements()).extracting(Event::getType).containsExactly(Event.Type.ACKNOWLEDGED);
        assertThat(outcome.lost()).isEmpty();
    }

    @Test
    void aStagingTaskTheExecutorDoesNotKnowNeverReachedIt() {
        TaskRecord unknown = launched("t1", TaskState.TASK_STAGING);
        TaskRecord known = launched("t2", TaskState.TASK_STAGING);
        TaskRecord updated = launched("t3", TaskState.TASK_STAGING);
        launched("t4", TaskState.TASK_RUNNING);

        Resubscription.Outcome outcome = Resubscription.decide(executor, Call.Subscribe.newBuilder()
                .addUnacknowledgedTasks(known.task)
                .addUnacknowledgedUpdates(update(updated, TaskState.TASK_RUNNING, 5)).build());

        assertThat(outcome.lost()).containsExactly(unknown);
        assertThat(Resubscription.lostState(unknown)).isEqualTo(TaskState.TASK_LOST);
        TaskRecord partitionAware = new TaskRecord(Harness.FRAMEWORK.toBuilder().addCapabilities(
                FrameworkInfo.Capability.newBuilder().setType(FrameworkInfo.Capability.Type.PARTITION_AWARE)).build(),
                unknown.task);
        assertThat(Resubscription.lostState(partitionAware)).isEqualTo(TaskState.TASK_DROPPED);
    }

    private TaskRecord launched(String id, TaskState state) {
        TaskRecord task = new TaskRecord(Harness.FRAMEWORK, TaskInfo.newBuilder().setName(id).setTaskId(Harness.taskId(id))
                .setAgentId(Harness.AGENT_ID).setExecutor(EXECUTOR).build());
        if (state != TaskState.TASK_STAGING) {
            task.latest = TaskStatus.newBuilder().setTaskId(task.key.taskId()).setState(state).build();
        }
        executor.launched.put(task.key, task);
        return task;
    }

    private static Call.Update update(TaskRecord task, TaskState state, int uuid) {
        return Call.Update.newBuilder().setStatus(TaskStatus.newBuilder().setTaskId(task.key.taskId()).setState(state)
                .setUuid(uuid(uuid))).build();
    }

    private static ByteString uuid(int n) {
        byte[] bytes = new byte[16];
        bytes[15] = (byte) n;
        return ByteString.copyFrom(bytes);
    }
}
