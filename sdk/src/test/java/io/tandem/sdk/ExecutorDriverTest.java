package io.tandem.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos.AgentInfo;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.executor.Protos.Call;
import org.apache.mesos.v1.executor.Protos.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ExecutorDriverTest {
    private final RecordingExecutor executor = new RecordingExecutor();
    private FakeAgent agent;
    private ExecutorDriver driver;

    @AfterEach
    void cleanUp() {
        if (driver != null) {
            driver.stop();
        }
        if (agent != null) {
            agent.close();
        }
    }

    private ExecutorDriver start(String checkpoint, String recoveryTimeout) throws Exception {
        agent = new FakeAgent();
        ExecutorEnvironment env = ExecutorEnvironment.from(Map.of(
                "MESOS_FRAMEWORK_ID", "fw-1", "MESOS_EXECUTOR_ID", "ex-1", "MESOS_AGENT_ENDPOINT", agent.endpoint(),
                "MESOS_CHECKPOINT", checkpoint, "MESOS_RECOVERY_TIMEOUT", recoveryTimeout,
                "MESOS_SUBSCRIPTION_BACKOFF_MAX", "50ms"));
        driver = ExecutorDriver.builder(env, executor).backoffMin(Duration.ofMillis(10))
                .clock(InstantSource.fixed(Instant.ofEpochSecond(1_700_000_000))).build();
        driver.start();
        await().atMost(10, TimeUnit.SECONDS).until(() -> executor.events.contains("subscribed host-1"));
        return driver;
    }

    private static TaskInfo task(String id) {
        return TaskInfo.newBuilder().setName(id).setTaskId(TaskID.newBuilder().setValue(id))
                .setAgentId(org.apache.mesos.v1.Protos.AgentID.newBuilder().setValue("a-1")).build();
    }

    private static Event launch(String id) {
        return Event.newBuilder().setType(Event.Type.LAUNCH)
                .setLaunch(Event.Launch.newBuilder().setTask(task(id))).build();
    }

    private static TaskStatus finished(String id) {
        return running(id).toBuilder().setState(TaskState.TASK_FINISHED).build();
    }

    private static TaskStatus running(String id) {
        return TaskStatus.newBuilder().setTaskId(TaskID.newBuilder().setValue(id)).setState(TaskState.TASK_RUNNING)
                .build();
    }

    @Test
    void subscribesWithTheIdsFromTheEnvironmentAndLaunchesTasks() throws Exception {
        start("0", "1secs");

        agent.send(launch("t-1"));
        await().atMost(10, TimeUnit.SECONDS).until(() -> executor.events.contains("launch t-1"));
        driver.update(running("t-1")).get(5, TimeUnit.SECONDS);

        Call subscribe = agent.subscriptions().getFirst();
        assertThat(subscribe.getFrameworkId().getValue()).isEqualTo("fw-1");
        assertThat(subscribe.getExecutorId().getValue()).isEqualTo("ex-1");
        TaskStatus sent = agent.calls(Call.Type.UPDATE).getFirst().getUpdate().getStatus();
        assertThat(sent.getState()).isEqualTo(TaskState.TASK_RUNNING);
        assertThat(sent.getSource()).isEqualTo(TaskStatus.Source.SOURCE_EXECUTOR);
        assertThat(sent.getExecutorId().getValue()).isEqualTo("ex-1");
        assertThat(sent.getUuid().size()).isEqualTo(16);
        assertThat(sent.getTimestamp()).isEqualTo(1_700_000_000.0);
    }

    @Test
    void resendsWhatTheAgentHasNotAcknowledgedWhenItSubscribesAgain() throws Exception {
        start("1", "10secs");
        agent.send(launch("t-1"));
        agent.send(launch("t-2"));
        await().atMost(10, TimeUnit.SECONDS).until(() -> executor.events.contains("launch t-2"));
        driver.update(running("t-1")).get(5, TimeUnit.SECONDS);
        driver.update(running("t-2")).get(5, TimeUnit.SECONDS);
        ByteString firstUuid = agent.calls(Call.Type.UPDATE).getFirst().getUpdate().getStatus().getUuid();
        agent.send(Event.newBuilder().setType(Event.Type.ACKNOWLEDGED).setAcknowledged(Event.Acknowledged.newBuilder()
                .setTaskId(TaskID.newBuilder().setValue("t-1")).setUuid(firstUuid)).build());
        await().atMost(10, TimeUnit.SECONDS).until(() -> executor.events.contains("acknowledged t-1"));

        agent.dropStream();

        await().atMost(10, TimeUnit.SECONDS).until(() -> agent.subscriptions().size() == 2);
        Call.Subscribe again = agent.subscriptions().get(1).getSubscribe();
        assertThat(again.getUnacknowledgedTasksList()).extracting(t -> t.getTaskId().getValue()).containsExactly("t-2");
        assertThat(again.getUnacknowledgedUpdatesList()).extracting(u -> u.getStatus().getTaskId().getValue())
                .containsExactly("t-2");
        assertThat(executor.events).contains("disconnected");
    }

    @Test
    void resubscribesToAnAgentThatRestartsOnTheSamePortWithWhatHappenedMeanwhile() throws Exception {
        start("1", "30secs");
        agent.send(launch("t-1"));
        await().atMost(10, TimeUnit.SECONDS).until(() -> executor.events.contains("launch t-1"));
        int port = agent.port();

        agent.close();
        await().atMost(10, TimeUnit.SECONDS).until(() -> executor.events.contains("disconnected"));
        driver.update(finished("t-1")).get(5, TimeUnit.SECONDS);
        agent = new FakeAgent(port);

        await().atMost(10, TimeUnit.SECONDS).until(() -> agent.subscriptions().size() == 1);
        Call.Subscribe again = agent.subscriptions().getFirst().getSubscribe();
        assertThat(again.getUnacknowledgedTasksList()).extracting(t -> t.getTaskId().getValue()).containsExactly("t-1");
        assertThat(again.getUnacknowledgedUpdatesList()).extracting(u -> u.getStatus().getState())
                .containsExactly(TaskState.TASK_FINISHED);
        await().atMost(10, TimeUnit.SECONDS).until(driver::isSubscribed);
    }

    @Test
    void anUpdateMadeWhileTheSubscribeIsOnItsWayIsSentOnceSubscribed() throws Exception {
        agent = new FakeAgent();
        CountDownLatch held = agent.holdAnswers(Call.Type.SUBSCRIBE);
        ExecutorEnvironment env = ExecutorEnvironment.from(Map.of("MESOS_FRAMEWORK_ID", "fw-1",
                "MESOS_EXECUTOR_ID", "ex-1", "MESOS_AGENT_ENDPOINT", agent.endpoint(), "MESOS_CHECKPOINT", "1"));
        driver = ExecutorDriver.builder(env, executor).build();
        driver.start();
        await().atMost(10, TimeUnit.SECONDS).until(() -> agent.subscriptions().size() == 1);

        driver.update(running("t-1")).get(5, TimeUnit.SECONDS);
        held.countDown();

        await().atMost(10, TimeUnit.SECONDS).until(() -> agent.calls(Call.Type.UPDATE).size() == 1);
        assertThat(agent.subscriptions().getFirst().getSubscribe().getUnacknowledgedUpdatesList()).isEmpty();
        assertThat(agent.calls(Call.Type.UPDATE).getFirst().getUpdate().getStatus().getTaskId().getValue())
                .isEqualTo("t-1");
    }

    @Test
    void shutsDownWhenTheAgentIsLostAndTheFrameworkDoesNotCheckpoint() throws Exception {
        start("0", "10secs");

        agent.dropStream();

        driver.whenStopped().get(10, TimeUnit.SECONDS);
        await().atMost(10, TimeUnit.SECONDS).until(() -> executor.events.contains("shutdown"));
        assertThat(agent.subscriptions()).hasSize(1);
    }

    @Test
    void givesUpAfterTheRecoveryTimeout() throws Exception {
        agent = new FakeAgent();
        agent.answerSubscribeWith(503);
        ExecutorEnvironment env = ExecutorEnvironment.from(Map.of("MESOS_FRAMEWORK_ID", "fw-1",
                "MESOS_EXECUTOR_ID", "ex-1", "MESOS_AGENT_ENDPOINT", agent.endpoint(), "MESOS_CHECKPOINT", "1",
                "MESOS_RECOVERY_TIMEOUT", "200ms", "MESOS_SUBSCRIPTION_BACKOFF_MAX", "20ms"));
        driver = ExecutorDriver.builder(env, executor).backoffMin(Duration.ofMillis(5)).build();

        driver.start();

        driver.whenStopped().get(10, TimeUnit.SECONDS);
        await().atMost(10, TimeUnit.SECONDS).until(() -> executor.events.contains("shutdown"));
        assertThat(agent.subscriptions().size()).isGreaterThan(1);
    }

    @Test
    void aRefusedSubscriptionIsReportedAsAnError() throws Exception {
        agent = new FakeAgent();
        agent.answerSubscribeWith(400);
        ExecutorEnvironment env = ExecutorEnvironment.from(Map.of("MESOS_FRAMEWORK_ID", "fw-1",
                "MESOS_EXECUTOR_ID", "ex-1", "MESOS_AGENT_ENDPOINT", agent.endpoint()));
        driver = ExecutorDriver.builder(env, executor).build();

        driver.start();

        driver.whenStopped().get(10, TimeUnit.SECONDS);
        await().atMost(10, TimeUnit.SECONDS).until(() -> executor.events.contains("shutdown"));
        assertThat(executor.events).containsExactly(
                "error SUBSCRIBE rejected with 400 Bad Request: Executor is unknown", "shutdown");
    }

    @Test
    void deliversKillMessageAndShutdownInOrderAndSendsMessages() throws Exception {
        start("0", "1secs");

        agent.send(Event.newBuilder().setType(Event.Type.KILL)
                .setKill(Event.Kill.newBuilder().setTaskId(TaskID.newBuilder().setValue("t-9"))).build());
        agent.send(Event.newBuilder().setType(Event.Type.MESSAGE)
                .setMessage(Event.Message.newBuilder().setData(ByteString.copyFromUtf8("hi"))).build());
        agent.send(Event.newBuilder().setType(Event.Type.SHUTDOWN).build());
        driver.message("pong".getBytes(java.nio.charset.StandardCharsets.UTF_8)).get(5, TimeUnit.SECONDS);

        await().atMost(10, TimeUnit.SECONDS).until(() -> executor.events.contains("shutdown"));
        assertThat(executor.events).containsExactly("subscribed host-1", "kill t-9", "message hi", "shutdown");
        assertThat(agent.calls(Call.Type.MESSAGE).getFirst().getMessage().getData().toStringUtf8()).isEqualTo("pong");
    }

    @Test
    void anUpdateTheAgentRefusesFailsAndIsNotResent() throws Exception {
        start("1", "10secs");
        agent.answerCallsWith(400);

        var refused = driver.update(running("t-1"));

        assertThatThrownBy(() -> refused.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(CallRejectedException.class).hasMessageContaining("Rejected by the fake agent");
        agent.dropStream();
        await().atMost(10, TimeUnit.SECONDS).until(() -> agent.subscriptions().size() == 2);
        assertThat(agent.subscriptions().get(1).getSubscribe().getUnacknowledgedUpdatesList()).isEmpty();
    }

    private static final class RecordingExecutor implements Executor {
        final List<String> events = new CopyOnWriteArrayList<>();

        @Override
        public void subscribed(ExecutorCalls driver, ExecutorInfo executor, FrameworkInfo framework, AgentInfo agent) {
            events.add("subscribed " + agent.getHostname());
        }

        @Override
        public void launch(ExecutorCalls driver, TaskInfo task) {
            events.add("launch " + task.getTaskId().getValue());
        }

        @Override
        public void kill(ExecutorCalls driver, TaskID taskId) {
            events.add("kill " + taskId.getValue());
        }

        @Override
        public void acknowledged(ExecutorCalls driver, TaskID taskId, ByteString uuid) {
            events.add("acknowledged " + taskId.getValue());
        }

        @Override
        public void message(ExecutorCalls driver, byte[] data) {
            events.add("message " + new String(data, java.nio.charset.StandardCharsets.UTF_8));
        }

        @Override
        public void shutdown(ExecutorCalls driver) {
            events.add("shutdown");
        }

        @Override
        public void error(ExecutorCalls driver, String message) {
            events.add("error " + message);
        }

        @Override
        public void disconnected(ExecutorCalls driver) {
            events.add("disconnected");
        }
    }
}
