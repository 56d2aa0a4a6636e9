package io.tandem.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.tandem.agent.process.Confinement;
import io.tandem.agent.process.LaunchSpec;
import io.tandem.agent.process.ProcessGroup;
import io.tandem.agent.process.ProcessLauncher;
import io.tandem.agent.recovery.CheckpointLayout;
import io.tandem.agent.recovery.CheckpointWriter;
import io.tandem.agent.recovery.ProcessStamp;
import io.tandem.agent.status.TaskKey;
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
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.Protos.TaskStatus.Reason;
import org.apache.mesos.v1.executor.Protos.Call;
import org.apache.mesos.v1.executor.Protos.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Custom executors across an agent restart. Each test but the first lays out the checkpoint an
 * earlier run of the agent would have left (its executor a real process under its supervisor shell),
 * then starts an agent on that work dir; the test plays the executor over HTTP. (The real
 * {@code kill -9} of an agent is {@code ExecutorRecoveryIT} in the cli module.)
 */
class ExecutorRecoveryTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ExecutorID EXECUTOR_ID = ExecutorID.newBuilder().setValue("e1").build();
    private static final FrameworkInfo FRAMEWORK = Harness.FRAMEWORK.toBuilder().setCheckpoint(true).build();
    private static final TaskKey T1 = new TaskKey(FRAMEWORK.getId(), Harness.taskId("t1"));

    @TempDir
    Path workDir;

    private FakeMaster master;
    private Agent agent;
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<ProcessGroup> started = new ArrayList<>();
    private final List<Long> pids = new ArrayList<>();
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private InputStream stream;

    @AfterEach
    void stop() throws IOException {
        if (stream != null) {
            stream.close();
        }
        if (agent != null) {
            agent.close();
        }
        if (master != null) {
            master.close();
        }
        started.forEach(ProcessGroup::kill);
        pids.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
    }

    @Test
    void aCheckpointingFrameworksExecutorIsCheckpointedAndToldToRecover() throws Exception {
        startAgent(Duration.ofSeconds(2));
        master.send(new AgentEvent.Launch(FRAMEWORK, task()));
        Path pid = sandbox().resolve("pid");
        await().atMost(WAIT).until(() -> Files.exists(pid) && !Files.readString(pid).isBlank());
        pids.add(Long.parseLong(Files.readString(pid).strip()));

        Path env = sandbox().resolve("env");
        await().atMost(WAIT).until(() -> Files.exists(env) && Files.readString(env).contains("MESOS_SANDBOX"));
        assertThat(Files.readAllLines(env)).contains("MESOS_CHECKPOINT=1", "MESOS_RECOVERY_TIMEOUT=900secs");
        CheckpointLayout layout = new CheckpointLayout(workDir);
        await().atMost(WAIT).until(() -> Files.exists(layout.executorProcess(FRAMEWORK.getId(), EXECUTOR_ID)));
        assertThat(Files.readString(layout.executorInfo(FRAMEWORK.getId(), EXECUTOR_ID))).contains("\"e1\"");
    }

    @Test
    void aRecoveredExecutorThatReSubscribesKeepsItsTaskAndIsAnsweredForWhatItResends() throws Exception {
        ByteString acknowledged = uuid(1);
        ProcessStamp executor = leaveRunningExecutor(acknowledged);
        startAgent(Duration.ofSeconds(2));

        ByteString finished = uuid(2);
        subscribe(Call.Subscribe.newBuilder()
                .addUnacknowledgedUpdates(update(TaskState.TASK_RUNNING, acknowledged))
                .addUnacknowledgedUpdates(update(TaskState.TASK_FINISHED, finished)).build());

        Event subscribed = nextEvent();
        assertThat(subscribed.getType()).isEqualTo(Event.Type.SUBSCRIBED);
        assertThat(subscribed.getSubscribed().getContainerId().getValue()).isEqualTo("container-1");
        Event again = nextEvent();
        assertThat(again.getType()).isEqualTo(Event.Type.ACKNOWLEDGED);
        assertThat(again.getAcknowledged().getUuid()).isEqualTo(acknowledged);
        AgentCall.Subscribe rejoined = await().atMost(WAIT)
                .until(() -> master.calls(AgentCall.Subscribe.class), calls -> !calls.isEmpty()).getFirst();
        assertThat(rejoined.executors()).extracting(ExecutorInfo::getExecutorId).containsExactly(EXECUTOR_ID);
        assertThat(rejoined.tasks()).singleElement().satisfies(t -> assertThat(t.task().getTaskId()).isEqualTo(T1.taskId()));
        TaskStatus forwarded = awaitUpdate(TaskState.TASK_FINISHED);
        assertThat(forwarded.getUuid()).isEqualTo(finished);
        assertThat(master.calls(AgentCall.Update.class)).noneMatch(u -> u.status().getUuid().equals(acknowledged));
        await("the executor outlives its re-registration timeout").during(Duration.ofSeconds(3))
                .atMost(WAIT).until(executor::stillRuns);
    }

    @Test
    void aRecoveredExecutorThatDoesNotReSubscribeInTimeIsKilledAndItsTaskLost() throws Exception {
        ProcessStamp executor = leaveRunningExecutor(uuid(1));
        startAgent(Duration.ofMillis(300));

        TaskStatus lost = awaitUpdate(TaskState.TASK_LOST);
        assertThat(lost.getReason()).isEqualTo(Reason.REASON_EXECUTOR_REREGISTRATION_TIMEOUT);
        assertThat(lost.getMessage()).isEqualTo("Executor did not re-subscribe within 300ms after the agent restarted");
        await().atMost(WAIT).until(() -> !executor.stillRuns());
        await().atMost(WAIT).until(() -> !master.calls(AgentCall.ExecutorExited.class).isEmpty());
    }

    @Test
    void anExecutorThatDiedWhileTheAgentWasDownEndsItsTaskAsExecutorTerminated() throws Exception {
        ProcessStamp executor = leaveRunningExecutor(uuid(1));
        // The executor itself, not its supervisor shell, which records how it ended.
        ProcessHandle.of(executor.pid()).orElseThrow().children().forEach(ProcessHandle::destroyForcibly);
        await().atMost(WAIT).until(() -> !executor.stillRuns());
        startAgent(Duration.ofSeconds(2));

        TaskStatus failed = awaitUpdate(TaskState.TASK_FAILED);
        assertThat(failed.getReason()).isEqualTo(Reason.REASON_EXECUTOR_TERMINATED);
        assertThat(failed.getMessage()).isEqualTo("Executor terminated with signal SIGKILL while the agent was away");
        AgentCall.ExecutorExited exited = await().atMost(WAIT).until(
                () -> master.calls(AgentCall.ExecutorExited.class), calls -> !calls.isEmpty()).getFirst();
        assertThat(exited.executorId()).isEqualTo(EXECUTOR_ID);
        assertThat(exited.status()).isEqualTo(9);
        assertThat(subscribeStatus()).as("a gone executor cannot subscribe").isEqualTo(400);
    }

    /**
     * The checkpoint of an agent that died while task t1 ran on executor e1: the executor process
     * under its supervisor shell, t1's TASK_RUNNING (uuid {@code running}) journaled and acknowledged.
     */
    private ProcessStamp leaveRunningExecutor(ByteString running) throws Exception {
        Files.writeString(workDir.resolve("agent-id"), "agent-7");
        CheckpointLayout layout = new CheckpointLayout(workDir);
        CheckpointWriter writer = new CheckpointWriter(layout, Runnable::run);
        writer.task(FRAMEWORK, task());
        TaskStatus status = update(TaskState.TASK_RUNNING, running).getStatus().toBuilder()
                .setSource(TaskStatus.Source.SOURCE_EXECUTOR).build();
        writer.append(FRAMEWORK.getId(), status, () -> { });
        writer.acknowledged(T1, running);
        Files.createDirectories(sandbox());
        Path exit = layout.executorExit(FRAMEWORK.getId(), EXECUTOR_ID);
        Files.createDirectories(exit.getParent());
        ProcessGroup process;
        try (ProcessLauncher earlierRun = new ProcessLauncher(workDir.resolve("earlier-bin"))) {
            process = earlierRun.launch(new LaunchSpec(List.of("/bin/sh", "-c", "exec sleep 1000"), Map.of(),
                    sandbox()), Confinement.NONE, exit);
        }
        started.add(process);
        await().atMost(WAIT).until(() -> ProcessHandle.of(process.pid()).orElseThrow().children().findAny().isPresent());
        ProcessStamp stamp = ProcessStamp.of(process.pid()).orElseThrow();
        writer.executor(FRAMEWORK.getId(), task().getExecutor(), "container-1", stamp, null);
        writer.close();
        return stamp;
    }

    private void startAgent(Duration reregistrationTimeout) throws IOException {
        master = new FakeMaster("agent-7", 1);
        agent = Agent.start(AgentConfig.builder(List.of(master.url()), workDir)
                .bindHost("127.0.0.1").port(0).resources("cpus:2;mem:1024;disk:100;ports:[31000-31010]")
                .isolation("posix")
                .executorReregistrationTimeout(reregistrationTimeout)
                .executorShutdownGracePeriod(Duration.ofSeconds(1))
                .updateRetry(Duration.ofMillis(200), Duration.ofSeconds(1))
                .build(), InstantSource.system());
    }

    private static TaskInfo task() {
        ExecutorInfo executor = ExecutorInfo.newBuilder().setExecutorId(EXECUTOR_ID)
                .setCommand(CommandInfo.newBuilder().setValue("echo $$ > pid; env > env; exec sleep 1000")).build();
        return TaskInfo.newBuilder().setName("t1").setTaskId(T1.taskId()).setAgentId(Harness.AGENT_ID)
                .setExecutor(executor).build();
    }

    private Path sandbox() {
        return workDir.resolve("sandboxes/fw-1/executors/e1");
    }

    private TaskStatus awaitUpdate(TaskState state) {
        return await().atMost(WAIT).until(() -> master.calls(AgentCall.Update.class).stream()
                .map(AgentCall.Update::status)
                .filter(s -> s.getTaskId().equals(T1.taskId()) && s.getState() == state)
                .findFirst().orElse(null), s -> s != null);
    }

    private int subscribeStatus() throws Exception {
        return http.send(request(subscribeCall(Call.Subscribe.getDefaultInstance())),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** Opens the SUBSCRIBE stream; a reader thread queues its events. */
    private void subscribe(Call.Subscribe subscribe) throws Exception {
        HttpResponse<InputStream> response = http.send(request(subscribeCall(subscribe)),
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
        });
    }

    private Event nextEvent() throws InterruptedException {
        Event event = events.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(event).as("an executor event").isNotNull();
        return event;
    }

    private static Call subscribeCall(Call.Subscribe subscribe) {
        return Call.newBuilder().setType(Call.Type.SUBSCRIBE).setExecutorId(EXECUTOR_ID)
                .setFrameworkId(FRAMEWORK.getId()).setSubscribe(subscribe).build();
    }

    private static Call.Update update(TaskState state, ByteString uuid) {
        return Call.Update.newBuilder().setStatus(TaskStatus.newBuilder().setTaskId(T1.taskId()).setState(state)
                .setExecutorId(EXECUTOR_ID).setUuid(uuid)).build();
    }

    private static ByteString uuid(int n) {
        byte[] bytes = new byte[16];
        bytes[15] = (byte) n;
        return ByteString.copyFrom(bytes);
    }

    private HttpRequest request(Call call) {
        return HttpRequest.newBuilder(agent.url().resolve(ExecutorApi.PATH))
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(MesosJson.print(call))).build();
    }
}
