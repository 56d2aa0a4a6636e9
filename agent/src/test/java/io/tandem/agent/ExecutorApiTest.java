package io.tandem.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.tandem.api.MesosJson;
import io.tandem.api.RecordIo;
import io.tandem.api.agent.AgentCall;
import io.tandem.api.agent.AgentEvent;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.executor.Protos.Call;
import org.apache.mesos.v1.executor.Protos.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Mesos v1 executor API. The executor process the agent starts only records its environment
 * and pid and sleeps; the test plays the executor over HTTP.
 */
class ExecutorApiTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ExecutorID EXECUTOR_ID = ExecutorID.newBuilder().setValue("e1").build();

    @TempDir
    Path workDir;

    private FakeMaster master;
    private Agent agent;
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<Long> pids = new ArrayList<>();
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private InputStream stream;

    @BeforeEach
    void start() throws IOException {
        master = new FakeMaster("agent-7", 1);
        agent = Agent.start(AgentConfig.builder(List.of(master.url()), workDir)
                .bindHost("127.0.0.1").port(0).resources("cpus:2;mem:1024;disk:100;ports:[31000-31010]")
                .executorRegistrationTimeout(Duration.ofSeconds(20))
                .executorShutdownGracePeriod(Duration.ofSeconds(1))
                .updateRetry(Duration.ofMillis(200), Duration.ofSeconds(1))
                .build(), InstantSource.system());
    }

    @AfterEach
    void stop() throws IOException {
        if (stream != null) {
            stream.close();
        }
        agent.close();
        master.close();
        pids.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
    }

    @Test
    void executorSubscribesGetsItsTaskAndHearsOfTheAcknowledgement() throws Exception {
        launchExecutorTask("t1");
        awaitExecutorPid();

        subscribe();

        Event subscribed = nextEvent();
        assertThat(subscribed.getType()).isEqualTo(Event.Type.SUBSCRIBED);
        assertThat(subscribed.getSubscribed().getExecutorInfo().getExecutorId()).isEqualTo(EXECUTOR_ID);
        assertThat(subscribed.getSubscribed().getFrameworkInfo().getId()).isEqualTo(Harness.FRAMEWORK_ID);
        assertThat(subscribed.getSubscribed().getAgentInfo().getId().getValue()).isEqualTo("agent-7");
        assertThat(subscribed.getSubscribed().getContainerId().getValue()).isNotEmpty();
        Event launch = nextEvent();
        assertThat(launch.getType()).isEqualTo(Event.Type.LAUNCH);
        assertThat(launch.getLaunch().getTask().getTaskId().getValue()).isEqualTo("t1");

        ByteString uuid = uuid();
        assertThat(call(update("t1", TaskState.TASK_RUNNING, uuid)).statusCode()).isEqualTo(202);

        TaskStatus forwarded = await().atMost(WAIT).until(() -> master.calls(AgentCall.Update.class).stream()
                .map(AgentCall.Update::status).filter(s -> s.getUuid().equals(uuid)).findFirst().orElse(null), s -> s != null);
        assertThat(forwarded.getSource()).isEqualTo(TaskStatus.Source.SOURCE_EXECUTOR);
        assertThat(forwarded.getExecutorId()).isEqualTo(EXECUTOR_ID);
        assertThat(forwarded.getAgentId().getValue()).isEqualTo("agent-7");

        master.send(new AgentEvent.Acknowledge(Harness.FRAMEWORK_ID, Harness.taskId("t1"), uuid));

        Event acknowledged = nextEvent();
        assertThat(acknowledged.getType()).isEqualTo(Event.Type.ACKNOWLEDGED);
        assertThat(acknowledged.getAcknowledged().getUuid()).isEqualTo(uuid);
    }

    @Test
    void executorStartsWithTheMesosEnvironment() throws Exception {
        launchExecutorTask("t1");
        awaitExecutorPid();

        Path env = executorSandbox().resolve("env");
        await().atMost(WAIT).until(() -> Files.exists(env) && Files.readString(env).contains("MESOS_SANDBOX"));
        assertThat(Files.readAllLines(env)).contains(
                "MESOS_FRAMEWORK_ID=fw-1", "MESOS_EXECUTOR_ID=e1", "MESOS_CHECKPOINT=0",
                "MESOS_AGENT_ENDPOINT=127.0.0.1:" + agent.port(), "MESOS_SANDBOX=" + executorSandbox(),
                "MESOS_DIRECTORY=" + executorSandbox(), "MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD=1secs",
                "MESOS_HTTP_COMMAND_EXECUTOR=0", "MESOS_AGENT_ID=agent-7");
    }

    @Test
    void killsAndMessagesReachTheExecutorAndItsMessagesReachTheMaster() throws Exception {
        launchExecutorTask("t1");
        awaitExecutorPid();
        subscribe();
        nextEvent();
        nextEvent();

        master.send(new AgentEvent.Kill(Harness.FRAMEWORK_ID, Harness.taskId("t1"), null));
        master.send(new AgentEvent.Message(Harness.FRAMEWORK_ID, EXECUTOR_ID, ByteString.copyFromUtf8("ping")));
        assertThat(call(base(Call.Type.MESSAGE).setMessage(Call.Message.newBuilder()
                .setData(ByteString.copyFromUtf8("pong"))).build()).statusCode()).isEqualTo(202);

        assertThat(nextEvent().getKill().getTaskId().getValue()).isEqualTo("t1");
        assertThat(nextEvent().getMessage().getData().toStringUtf8()).isEqualTo("ping");
        AgentCall.Message message = await().atMost(WAIT).until(() -> master.calls(AgentCall.Message.class), l -> !l.isEmpty())
                .getFirst();
        assertThat(message.data().toStringUtf8()).isEqualTo("pong");
        assertThat(message.executorId()).isEqualTo(EXECUTOR_ID);
    }

    @Test
    void protobufCallsWorkLikeJson() throws Exception {
        launchExecutorTask("t1");
        awaitExecutorPid();
        subscribe();
        nextEvent();
        nextEvent();

        HttpResponse<String> response = http.send(HttpRequest.newBuilder(agent.url().resolve(ExecutorApi.PATH))
                .header("Content-Type", "application/x-protobuf")
                .POST(HttpRequest.BodyPublishers.ofByteArray(update("t1", TaskState.TASK_RUNNING, uuid()).toByteArray()))
                .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(202);
        awaitUpdate("t1", TaskState.TASK_RUNNING);
    }

    @Test
    void killBeforeTheExecutorSubscribesEndsTheTaskAndTheIdleExecutor() throws Exception {
        launchExecutorTask("t1");
        long pid = awaitExecutorPid();

        master.send(new AgentEvent.Kill(Harness.FRAMEWORK_ID, Harness.taskId("t1"), null));

        TaskStatus killed = awaitUpdate("t1", TaskState.TASK_KILLED);
        assertThat(killed.getReason()).isEqualTo(TaskStatus.Reason.REASON_TASK_KILLED_DURING_LAUNCH);
        await().atMost(WAIT).until(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
    }

    @Test
    void malformedCallsAreRefusedWithTheProblem() throws Exception {
        launchExecutorTask("t1");
        awaitExecutorPid();

        HttpResponse<String> noUuid = call(base(Call.Type.UPDATE).setUpdate(Call.Update.newBuilder().setStatus(
                TaskStatus.newBuilder().setTaskId(Harness.taskId("t1")).setState(TaskState.TASK_RUNNING))).build());
        HttpResponse<String> stranger = call(base(Call.Type.SUBSCRIBE)
                .setExecutorId(ExecutorID.newBuilder().setValue("nobody")).build());
        HttpResponse<String> garbage = post("{\"type\": 42");

        assertThat(noUuid.statusCode()).isEqualTo(400);
        assertThat(noUuid.body()).contains("uuid");
        assertThat(stranger.statusCode()).isEqualTo(400);
        assertThat(stranger.body()).contains("'nobody'").contains("not running");
        assertThat(garbage.statusCode()).isEqualTo(400);
        assertThat(garbage.body()).contains("Failed to parse");
    }

    @Test
    void executorExitFailsItsUnfinishedTasks() throws Exception {
        launchExecutorTask("t1");
        long pid = awaitExecutorPid();
        subscribe();
        nextEvent();
        nextEvent();

        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);

        TaskStatus failed = awaitUpdate("t1", TaskState.TASK_FAILED);
        assertThat(failed.getReason()).isEqualTo(TaskStatus.Reason.REASON_EXECUTOR_TERMINATED);
        assertThat(failed.getMessage()).contains("SIGKILL");
        assertThat(nextEventOrNull(Duration.ofSeconds(30))).isNull(); // the agent ended the stream
        AgentCall.ExecutorExited exited = await().atMost(WAIT)
                .until(() -> master.calls(AgentCall.ExecutorExited.class), calls -> !calls.isEmpty()).getFirst();
        assertThat(exited.executorId()).isEqualTo(EXECUTOR_ID);
        assertThat(exited.status()).as("wait status of a SIGKILLed process").isEqualTo(9);
    }

    @Test
    void executorThatNeverSubscribesIsKilledAndItsTasksFail() throws Exception {
        agent.close();
        agent = Agent.start(AgentConfig.builder(List.of(master.url()), workDir)
                .bindHost("127.0.0.1").port(0).resources("cpus:2;mem:1024;disk:100;ports:[31000-31010]")
                .executorRegistrationTimeout(Duration.ofMillis(500)).build(), InstantSource.system());
        launchExecutorTask("t1");
        long pid = awaitExecutorPid();

        TaskStatus failed = awaitUpdate("t1", TaskState.TASK_FAILED);

        assertThat(failed.getReason()).isEqualTo(TaskStatus.Reason.REASON_EXECUTOR_REGISTRATION_TIMEOUT);
        await().atMost(WAIT).until(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
    }

    private void launchExecutorTask(String taskId) {
        ExecutorInfo executor = ExecutorInfo.newBuilder().setExecutorId(EXECUTOR_ID)
                .setCommand(CommandInfo.newBuilder().setValue("echo $$ > pid; env > env; exec sleep 1000")).build();
        master.send(new AgentEvent.Launch(Harness.FRAMEWORK, TaskInfo.newBuilder().setName(taskId)
                .setTaskId(Harness.taskId(taskId)).setAgentId(Harness.AGENT_ID).setExecutor(executor).build()));
    }

    private Path executorSandbox() {
        return workDir.resolve("sandboxes/fw-1/executors/e1");
    }

    private long awaitExecutorPid() throws IOException {
        Path file = executorSandbox().resolve("pid");
        await().atMost(WAIT).until(() -> Files.exists(file) && !Files.readString(file).isBlank());
        long pid = Long.parseLong(Files.readString(file).strip());
        pids.add(pid);
        return pid;
    }

    private TaskStatus awaitUpdate(String taskId, TaskState state) {
        return await().atMost(WAIT).until(() -> master.calls(AgentCall.Update.class).stream()
                .map(AgentCall.Update::status)
                .filter(s -> s.getTaskId().getValue().equals(taskId) && s.getState() == state)
                .findFirst().orElse(null), s -> s != null);
    }

    /** Opens the SUBSCRIBE stream; a reader thread queues its events. */
    private void subscribe() throws Exception {
        HttpResponse<InputStream> response = http.send(request(base(Call.Type.SUBSCRIBE).build()),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        stream = response.body();
        Thread.ofVirtual().start(() -> {
            RecordIo.Reader reader = new RecordIo.Reader(stream);
            try {
                byte[] record;
                while ((record = reader.next()) != null) {
                    events.add(MesosJson.parse(new String(record, StandardCharsets.UTF_8), Event.newBuilder()).build());
                }
            } catch (IOException e) {
                // stream closed by the test
            }
            events.add(Event.getDefaultInstance()); // end marker
        });
    }

    private Event nextEvent() throws InterruptedException {
        Event event = nextEventOrNull(WAIT);
        assertThat(event).as("an executor event").isNotNull();
        return event;
    }

    private Event nextEventOrNull(Duration wait) throws InterruptedException {
        Event event = events.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        return event == null || event.equals(Event.getDefaultInstance()) ? null : event;
    }

    private static Call.Builder base(Call.Type type) {
        return Call.newBuilder().setType(type).setExecutorId(EXECUTOR_ID).setFrameworkId(Harness.FRAMEWORK_ID);
    }

    private static Call update(String taskId, TaskState state, ByteString uuid) {
        return base(Call.Type.UPDATE).setUpdate(Call.Update.newBuilder().setStatus(TaskStatus.newBuilder()
                .setTaskId(Harness.taskId(taskId)).setState(state).setUuid(uuid))).build();
    }

    private static ByteString uuid() {
        UUID uuid = UUID.randomUUID();
        return ByteString.copyFrom(java.nio.ByteBuffer.allocate(16)
                .putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits()).array());
    }

    private HttpResponse<String> call(Call call) throws Exception {
        return http.send(request(call), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String json) throws Exception {
        return http.send(HttpRequest.newBuilder(agent.url().resolve(ExecutorApi.PATH))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest request(Call call) {
        return HttpRequest.newBuilder(agent.url().resolve(ExecutorApi.PATH))
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(MesosJson.print(call))).build();
    }
}
