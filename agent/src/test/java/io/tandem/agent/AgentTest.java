package io.tandem.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tandem.api.ResourceMapping;
import io.tandem.api.agent.AgentCall;
import io.tandem.api.agent.AgentEvent;
import io.tandem.model.AgentId;
import io.tandem.model.Resources;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole agent against a fake master, over HTTP, with real processes. */
class AgentTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** Unique, because tasks' cgroups are named after the agent and other builds may run this test too. */
    private static final String AGENT = "agent-" + java.util.UUID.randomUUID().toString().substring(0, 8);

    @TempDir
    Path workDir;

    private FakeMaster master;
    private Agent agent;
    private final List<Long> pids = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws IOException {
        master = new FakeMaster(AGENT, 0.2);
        agent = Agent.start(config(List.of(master.url())), InstantSource.system());
    }

    @AfterEach
    void stop() {
        agent.close();
        master.close();
        pids.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
    }

    private AgentConfig config(List<URI> masters) {
        return AgentConfig.builder(masters, workDir)
                .bindHost("127.0.0.1").port(0).hostname("test-host")
                .resources("cpus:2;mem:1024;disk:100;ports:[31000-31010]").attributes("rack:r1")
                .updateRetry(Duration.ofMillis(100), Duration.ofMillis(400))
                .reconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(200))
                .build();
    }

    @Test
    void joinsWithItsResourcesAndKeepsTheIdItIsGiven() throws IOException {
        AgentCall.Subscribe subscribe = await().atMost(WAIT).until(() -> master.calls(AgentCall.Subscribe.class),
                l -> !l.isEmpty()).getFirst();

        assertThat(subscribe.info().getHostname()).isEqualTo("test-host");
        assertThat(subscribe.info().getPort()).isEqualTo(agent.port());
        assertThat(ResourceMapping.fromMesos(subscribe.info().getResourcesList()))
                .isEqualTo(Resources.parse("cpus:2;mem:1024;disk:100;ports:[31000-31010]"));
        assertThat(subscribe.info().getAttributesList()).extracting(a -> a.getName()).containsExactly("rack");
        await().atMost(WAIT).until(() -> agent.agentId().equals(java.util.Optional.of(new AgentId(AGENT))));
        assertThat(Files.readString(workDir.resolve("agent-id")).strip()).isEqualTo(AGENT);
    }

    @Test
    void reportsWhatItsTasksUseUnderItsStream() {
        master.send(new AgentEvent.Launch(Harness.FRAMEWORK, task("t1", "echo $$ > pid; exec sleep 1000")
                .toBuilder().addAllResources(ResourceMapping.toMesos(Resources.parse("cpus:0.5;mem:64"), "*")).build()));

        FakeMaster.Received report = await().atMost(WAIT).until(() -> master.received.stream()
                .filter(r -> r.call() instanceof AgentCall.Report rep
                        && ResourceMapping.fromMesos(rep.used()).scalar("cpus") == 0.5)
                .findFirst().orElse(null), r -> r != null);
        rememberPid("t1");

        assertThat(report.streamId()).isEqualTo("stream-1");
        assertThat(report.agentId()).isEqualTo(AGENT);
    }

    @Test
    void updatesAreResentUntilAcknowledgedThenTheNextFollows() {
        master.send(new AgentEvent.Launch(Harness.FRAMEWORK, task("t1", "exit 0")));

        List<TaskStatus> starting = await().atMost(WAIT).until(() -> updates("t1"), l -> l.size() >= 3);
        assertThat(starting).extracting(TaskStatus::getState).containsOnly(TaskState.TASK_STARTING);
        assertThat(starting).extracting(TaskStatus::getUuid).containsOnly(starting.getFirst().getUuid());

        acknowledgeUntil("t1", TaskState.TASK_FINISHED);

        await().atMost(WAIT).until(() -> state().contains("\"get_tasks\":{}"));
        assertThat(updates("t1")).extracting(TaskStatus::getState).containsSubsequence(
                TaskState.TASK_STARTING, TaskState.TASK_RUNNING, TaskState.TASK_FINISHED);
    }

    @Test
    void resubscribesAfterTheStreamBreaksAndResendsPendingUpdates() {
        master.send(new AgentEvent.Launch(Harness.FRAMEWORK, task("t1", "echo $$ > pid; exec sleep 1000")));
        await().atMost(WAIT).until(() -> !updates("t1").isEmpty());
        rememberPid("t1");

        master.dropStream();

        await().atMost(WAIT).until(() -> master.subscriptions() == 2);
        AgentCall.Subscribe again = master.calls(AgentCall.Subscribe.class).get(1);
        assertThat(again.info().getId().getValue()).isEqualTo(AGENT);
        assertThat(again.tasks()).singleElement().satisfies(t -> assertThat(t.task().getTaskId().getValue()).isEqualTo("t1"));
        assertThat(again.frameworks()).containsExactly(Harness.FRAMEWORK);
        await().atMost(WAIT).until(() -> master.received.stream().anyMatch(r ->
                r.call() instanceof AgentCall.Update && "stream-2".equals(r.streamId())));
    }

    @Test
    void silentStreamIsAbandonedAfterTheAgentTimeout() throws IOException {
        agent.close();
        try (FakeMaster silent = new FakeMaster("agent-8", 1, 0.3)) {
            agent = Agent.start(config(List.of(silent.url())), InstantSource.system());

            await().atMost(WAIT).until(() -> silent.subscriptions() >= 2);
        }
    }

    @Test
    void restartedAgentJoinsUnderItsOldId() {
        await().atMost(WAIT).until(() -> agent.agentId().isPresent());
        agent.close();

        agent = Agent.start(config(List.of(master.url())), InstantSource.system());

        await().atMost(WAIT).until(() -> master.calls(AgentCall.Subscribe.class).size() == 2);
        assertThat(master.calls(AgentCall.Subscribe.class).get(1).info().getId().getValue()).isEqualTo(AGENT);
    }

    @Test
    void triesTheNextMasterWhenOneIsDown() throws IOException {
        agent.close();
        try (FakeMaster other = new FakeMaster("agent-9", 1)) {
            agent = Agent.start(config(List.of(URI.create("http://127.0.0.1:1"), other.url())), InstantSource.system());

            await().atMost(WAIT).until(() -> agent.agentId().equals(java.util.Optional.of(new AgentId("agent-9"))));
        }
    }

    @Test
    void operatorApiAnswersHealthAndState() throws Exception {
        master.send(new AgentEvent.Launch(Harness.FRAMEWORK, task("t1", "echo $$ > pid; exec sleep 1000")));
        rememberPid("t1");

        assertThat(post("/api/v1", "{\"type\":\"GET_HEALTH\"}"))
                .isEqualTo("{\"type\":\"GET_HEALTH\",\"get_health\":{\"healthy\":true}}");
        assertThat(state()).contains("\"launched_tasks\":[{\"name\":\"t1\"").contains("\"frameworks\":[{\"framework_info\"");
        assertThat(http.send(HttpRequest.newBuilder(agent.url().resolve("/health")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
    }

    @Test
    void malformedResourcesAreRefusedNamingTheToken() {
        assertThatThrownBy(() -> AgentConfig.builder(List.of(master.url()), workDir).resources("cpus:4;mem:lots").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("mem");
    }

    @Test
    void unknownIsolatorIsRefusedNamingIt() {
        assertThatThrownBy(() -> AgentConfig.builder(List.of(master.url()), workDir)
                .isolation("cgroups/cpu,filesystem/magic").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown isolator 'filesystem/magic'");
    }

    private void acknowledgeUntil(String taskId, TaskState last) {
        for (TaskState state : List.of(TaskState.TASK_STARTING, TaskState.TASK_RUNNING, last)) {
            TaskStatus status = await().atMost(WAIT).until(() -> updates(taskId).stream()
                    .filter(s -> s.getState() == state).findFirst().orElse(null), s -> s != null);
            master.send(new AgentEvent.Acknowledge(Harness.FRAMEWORK_ID, status.getTaskId(), status.getUuid()));
        }
    }

    private List<TaskStatus> updates(String taskId) {
        return master.calls(AgentCall.Update.class).stream().map(AgentCall.Update::status)
                .filter(s -> s.getTaskId().getValue().equals(taskId)).toList();
    }

    private String state() throws Exception {
        return post("/api/v1", "{\"type\":\"GET_STATE\"}");
    }

    private String post(String path, String json) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(agent.url().resolve(path))
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    private void rememberPid(String taskId) {
        Path file = workDir.resolve("sandboxes/fw-1").resolve(taskId).resolve("pid");
        await().atMost(WAIT).until(() -> Files.exists(file) && !Files.readString(file).isBlank());
        try {
            pids.add(Long.parseLong(Files.readString(file).strip()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static TaskInfo task(String id, String script) {
        return TaskInfo.newBuilder().setName(id).setTaskId(Harness.taskId(id)).setAgentId(Harness.AGENT_ID)
                .setCommand(CommandInfo.newBuilder().setValue(script)).build();
    }
}
