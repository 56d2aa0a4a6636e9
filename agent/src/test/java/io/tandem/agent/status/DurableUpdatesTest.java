package io.tandem.agent.status;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.tandem.agent.loop.ManualTimers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.junit.jupiter.api.Test;

/** The status update manager with a journal: nothing leaves before it is on disk, nothing twice. */
class DurableUpdatesTest {
    private static final FrameworkID FRAMEWORK = FrameworkID.newBuilder().setValue("fw").build();

    private final ManualTimers timers = new ManualTimers();
    private final List<TaskStatus> sent = new ArrayList<>();
    private final RecordingJournal journal = new RecordingJournal();
    private final StatusUpdateQueue queue = new StatusUpdateQueue((fw, status) -> sent.add(status), journal, timers,
            Duration.ofSeconds(1), Duration.ofSeconds(10));
    private int uuids;

    @Test
    void anUpdateIsSentOnlyOnceItIsOnDisk() {
        queue.connected();
        TaskStatus running = update("t1", TaskState.TASK_RUNNING);
        queue.add(FRAMEWORK, running);

        assertThat(journal.appended).containsExactly(running);
        assertThat(sent).isEmpty();

        journal.flush();
        assertThat(sent).containsExactly(running);
    }

    @Test
    void aLaterUpdateWaitsForTheEarlierEvenWhenItIsOnDiskFirst() {
        queue.connected();
        TaskStatus running = update("t1", TaskState.TASK_RUNNING);
        TaskStatus finished = update("t1", TaskState.TASK_FINISHED);
        queue.add(FRAMEWORK, running);
        queue.add(FRAMEWORK, finished);

        journal.durable.get(1).run();
        assertThat(sent).isEmpty();
        journal.durable.get(0).run();
        queue.acknowledge(FRAMEWORK, running.getTaskId(), running.getUuid());

        assertThat(sent).containsExactly(running, finished);
        assertThat(journal.acknowledged).containsExactly(running.getUuid());
    }

    @Test
    void anUpdateWithAQueuedUuidIsADuplicate() {
        TaskStatus running = update("t1", TaskState.TASK_RUNNING);

        assertThat(queue.add(FRAMEWORK, running)).isTrue();
        assertThat(queue.add(FRAMEWORK, running)).isFalse();
        assertThat(journal.appended).containsExactly(running);
        assertThat(queue.pending(new TaskKey(FRAMEWORK, running.getTaskId()))).containsExactly(running);
    }

    @Test
    void restoredUpdatesAreSentInOrderOnConnectionWithoutBeingJournaledAgain() {
        TaskStatus running = update("t1", TaskState.TASK_RUNNING);
        TaskStatus failed = update("t1", TaskState.TASK_FAILED);
        queue.restore(FRAMEWORK, List.of(running, failed));
        assertThat(sent).isEmpty();

        queue.connected();
        queue.acknowledge(FRAMEWORK, running.getTaskId(), running.getUuid());

        assertThat(sent).containsExactly(running, failed);
        assertThat(journal.appended).isEmpty();
    }

    @Test
    void forgettingATaskForgetsItsJournal() {
        TaskStatus running = update("t1", TaskState.TASK_RUNNING);
        queue.add(FRAMEWORK, running);
        TaskKey key = new TaskKey(FRAMEWORK, running.getTaskId());

        queue.forgetTask(key);

        assertThat(journal.forgotten).containsExactly(key);
        assertThat(queue.hasPending(key)).isFalse();
    }

    private TaskStatus update(String task, TaskState state) {
        return TaskStatus.newBuilder().setTaskId(TaskID.newBuilder().setValue(task)).setState(state)
                .setUuid(ByteString.copyFromUtf8("uuid-" + uuids++)).build();
    }

    /** Holds each append's "durable" callback until the test runs it. */
    private static final class RecordingJournal implements UpdateJournal {
        final List<TaskStatus> appended = new ArrayList<>();
        final List<Runnable> durable = new ArrayList<>();
        final List<ByteString> acknowledged = new ArrayList<>();
        final List<TaskKey> forgotten = new ArrayList<>();

        @Override
        public void append(FrameworkID frameworkId, TaskStatus status, Runnable onDurable) {
            appended.add(status);
            durable.add(onDurable);
        }

        @Override
        public void acknowledged(TaskKey key, ByteString uuid) {
            acknowledged.add(uuid);
        }

        @Override
        public void forget(TaskKey key) {
            forgotten.add(key);
        }

        void flush() {
            durable.forEach(Runnable::run);
        }
    }
}
