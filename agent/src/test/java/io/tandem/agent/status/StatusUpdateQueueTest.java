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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StatusUpdateQueueTest {
    private static final FrameworkID FRAMEWORK = FrameworkID.newBuilder().setValue("fw").build();
    private static final Duration MIN = Duration.ofSeconds(1);
    private static final Duration MAX = Duration.ofSeconds(10);

    private final ManualTimers timers = new ManualTimers();
    private final List<TaskStatus> sent = new ArrayList<>();
    private final StatusUpdateQueue queue = new StatusUpdateQueue((fw, status) -> sent.add(status), timers, MIN, MAX);
    private int uuids;

    @BeforeEach
    void connect() {
        queue.connected();
    }

    @Test
    void sendsOnlyTheOldestUnacknowledgedUpdateOfATask() {
        TaskStatus running = update("t1", TaskState.TASK_RUNNING);
        TaskStatus finished = update("t1", TaskState.TASK_FINISHED);

        queue.add(FRAMEWORK, running);
        queue.add(FRAMEWORK, finished);

        assertThat(sent).containsExactly(running);
    }

    @Test
    void acknowledgementReleasesTheNextUpdate() {
        TaskStatus running = update("t1", TaskState.TASK_RUNNING);
        TaskStatus finished = update("t1", TaskState.TASK_FINISHED);
        queue.add(FRAMEWORK, running);
        queue.add(FRAMEWORK, finished);

        assertThat(queue.acknowledge(FRAMEWORK, running.getTaskId(), running.getUuid())).contains(running);

        assertThat(sent).containsExactly(running, finished);
        assertThat(queue.pending(key("t1"))).containsExactly(finished);
    }

    @Test
    void tasksDoNotWaitForEachOther() {
        TaskStatus first = update("t1", TaskState.TASK_RUNNING);
        TaskStatus second = update("t2", TaskState.TASK_RUNNING);

        queue.add(FRAMEWORK, first);
        queue.add(FRAMEWORK, second);

        assertThat(sent).containsExactly(first, second);
    }

    @Test
    void resendsWithExponentialBackoffCappedAtTheMaximum() {
        TaskStatus running = update("t1", TaskState.TASK_RUNNING);
        queue.add(FRAMEWORK, running);

        List<Integer> sendsAfterEachSecond = new ArrayList<>();
        for (int second = 1; second <= 40; second++) {
            timers.advance(Duration.ofSeconds(1));
            sendsAfterEachSecond.add(sent.size());
        }

        // Sent at 0, then retries at 1, 3, 7, 15 (gaps 1, 2, 4, 8), then every 10 s: 25, 35.
        assertThat(sendsAfterEachSecond.get(0)).isEqualTo(2);
        assertThat(sendsAfterEachSecond.get(2)).isEqualTo(3);
        assertThat(sendsAfterEachSecond.get(6)).isEqualTo(4);
        assertThat(sendsAfterEachSecond.get(14)).isEqualTo(5);
        assertThat(sendsAfterEachSecond.get(23)).isEqualTo(5);
        assertThat(sendsAfterEachSecond.get(24)).isEqualTo(6);
        assertThat(sendsAfterEachSecond.get(34)).isEqualTo(7);
        assertThat(sent).allMatch(running::equals);
    }

    @Test
    void stopsRetryingOnceAcknowledged() {
        TaskStatus finished = update("t1", TaskState.TASK_FINISHED);
        queue.add(FRAMEWORK, finished);
        queue.acknowledge(FRAMEWORK, finished.getTaskId(), finished.getUuid());

        timers.advance(Duration.ofMinutes(5));

        assertThat(sent).hasSize(1);
        assertThat(queue.hasPending(key("t1"))).isFalse();
        assertThat(timers.pendingCount()).isZero();
    }

    @Test
    void ignoresAcknowledgementsOfUpdatesNotInFlight() {
        TaskStatus running = update("t1", TaskState.TASK_RUNNING);
        TaskStatus finished = update("t1", TaskState.TASK_FINISHED);
        queue.add(FRAMEWORK, running);
        queue.add(FRAMEWORK, finished);

        assertThat(queue.acknowledge(FRAMEWORK, finished.getTaskId(), finished.getUuid())).isEmpty();
        assertThat(queue.acknowledge(FRAMEWORK, running.getTaskId(), ByteString.copyFromUtf8("bogus"))).isEmpty();

        assertThat(queue.pending(key("t1"))).containsExactly(running, finished);
    }

    @Test
    void holdsUpdatesWhileDisconnectedAndResendsOnReconnection() {
        queue.disconnected();
        TaskStatus running = update("t1", TaskState.TASK_RUNNING);
        queue.add(FRAMEWORK, running);
        timers.advance(Duration.ofMinutes(1));
        assertThat(sent).isEmpty();

        queue.connected();

        assertThat(sent).containsExactly(running);
    }

    @Test
    void reconnectionResendsTheUpdateInFlight() {
        TaskStatus running = update("t1", TaskState.TASK_RUNNING);
        queue.add(FRAMEWORK, running);
        queue.disconnected();
        timers.advance(Duration.ofMinutes(1));

        queue.connected();

        assertThat(sent).containsExactly(running, running);
    }

    @Test
    void forgettingAFrameworkDropsItsUpdates() {
        queue.add(FRAMEWORK, update("t1", TaskState.TASK_RUNNING));

        queue.forgetFramework(FRAMEWORK);
        timers.advance(Duration.ofMinutes(1));

        assertThat(sent).hasSize(1);
        assertThat(queue.hasPending(key("t1"))).isFalse();
    }

    private TaskStatus update(String task, TaskState state) {
        return TaskStatus.newBuilder()
                .setTaskId(TaskID.newBuilder().setValue(task))
                .setState(state)
                .setUuid(ByteString.copyFromUtf8("uuid-" + uuids++))
                .build();
    }

    private static TaskKey key(String task) {
        return new TaskKey(FRAMEWORK, TaskID.newBuilder().setValue(task).build());
    }
}
