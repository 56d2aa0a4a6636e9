package io.tandem.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tandem.agent.sandbox.SandboxSettings;
import io.tandem.api.agent.AgentCall;
import io.tandem.api.agent.AgentEvent;
import java.io.IOException;
import java.net.URLEncoder;
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
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sandboxes of a whole agent: its file API over HTTP, log rotation under a busy writer, garbage collection. */
class SandboxAgentTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String AGENT = "agent-" + java.util.UUID.randomUUID().toString().substring(0, 8);

    @TempDir
    Path workDir;

    private FakeMaster master;
    private Agent agent;
    private final List<Long> pids = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    private void start(SandboxSettings sandbox) throws IOException {
        master = new FakeMaster(AGENT, 0.2);
        agent = Agent.start(AgentConfig.builder(List.of(master.url()), workDir)
                .bindHost("127.0.0.1").port(0).resources("cpus:2;mem:1024;disk:100;ports:[31000-31010]")
                .updateRetry(Duration.ofMillis(100), Duration.ofMillis(400)).isolation("posix")
                .sandbox(sandbox).build(), InstantSource.system());
    }

    @AfterEach
    void stop() {
        if (agent != null) {
            agent.close();
        }
        if (master != null) {
            master.close();
        }
        pids.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
    }

    @Test
    void theFileApiReadsAndListsAFinishedTasksSandbox() throws Exception {
        start(SandboxSettings.DEFAULTS);
        master.send(new AgentEvent.Launch(Harness.FRAMEWORK, task("t1", "echo hello; echo oops >&2")));
        acknowledgeUntil("t1", TaskState.TASK_FINISHED);

        assertThat(get("/files/read?path=" + encode("/sandboxes/fw-1/t1/stdout") + "&offset=0"))
                .isEqualTo("200 {\"data\":\"hello\\n\",\"offset\":0}");
        assertThat(get("/files/read.json?path=" + encode(sandbox("t1").resolve("stderr").toString()) + "&offset=-1"))
                .isEqualTo("200 {\"data\":\"\",\"offset\":5}");
        assertThat(get("/files/browse?path=" + encode("/sandboxes/fw-1/t1")))
                .startsWith("200 [{\"path\":\"/sandboxes/fw-1/t1/stderr\",\"size\":5,\"mode\":\"-rw")
                .contains("{\"path\":\"/sandboxes/fw-1/t1/stdout\",\"size\":6,");
        assertThat(get("/files/download?path=" + encode("/sandboxes/fw-1/t1/stdout"))).isEqualTo("200 hello\n");
    }

    @Test
    void pathsOutsideTheSandboxesAreRefusedAndTheAgentCarriesOn() throws Exception {
        start(SandboxSettings.DEFAULTS);
        Files.writeString(workDir.resolve("agent-secret"), "secret");

        assertThat(get("/files/read?path=" + encode("/sandboxes/../agent-secret")))
                .isEqualTo("400 Path '/sandboxes/../agent-secret' is outside the agent's sandboxes");
        assertThat(get("/files/read?path=" + encode("/etc/passwd")))
                .isEqualTo("400 Path '/etc/passwd' is outside the agent's sandboxes");
        assertThat(get("/files/read?path=" + encode("/sandboxes/fw-1/nope/stdout")))
                .isEqualTo("404 No such file or directory: '/sandboxes/fw-1/nope/stdout'");
        assertThat(get("/files/read?path=" + encode("/sandboxes") + "&offset=abc"))
                .isEqualTo("400 Failed to parse offset: 'abc' is not a whole number");
        assertThat(get("/files/read")).isEqualTo("400 Expecting 'path' query parameter");

        master.send(new AgentEvent.Launch(Harness.FRAMEWORK, task("after", "echo still here")));
        acknowledgeUntil("after", TaskState.TASK_FINISHED);
        assertThat(get("/files/read?path=" + encode("/sandboxes/fw-1/after/stdout")))
                .isEqualTo("200 {\"data\":\"still here\\n\",\"offset\":0}");
    }

    @Test
    void logsOfABusyTaskAreRotatedWhileItKeepsWriting() throws Exception {
        start(SandboxSettings.DEFAULTS.withLogRotation(64 * 1024, 2).withCheckInterval(Duration.ofMillis(50)));
        master.send(new AgentEvent.Launch(Harness.FRAMEWORK, task("chatty",
                "echo $$ > pid; i=0; while true; do i=$((i+1)); echo \"line $i of a task that writes quickly\"; done")));
        rememberPid("chatty");
        Path sandbox = sandbox("chatty");

        await().atMost(WAIT).until(() -> Files.exists(sandbox.resolve("stdout.2")));
        master.send(new AgentEvent.Kill(Harness.FRAMEWORK_ID, Harness.taskId("chatty"), null));
        acknowledgeUntil("chatty", TaskState.TASK_KILLED);

        // With O_APPEND the process's writes after a rotation land at the file's new end: no hole of
        // zeros where it would have gone on writing at its old offset.
        for (String name : List.of("stdout.2", "stdout.1", "stdout")) {
            assertThat(Files.readString(sandbox.resolve(name))).doesNotContain("\0");
        }
        assertThat(Files.readString(sandbox.resolve("stdout.2"))).contains("line ");
        assertThat(Files.readString(sandbox.resolve("stdout.1"))).contains("line ");
        assertThat(sandbox.resolve("stdout.3")).doesNotExist();
    }

    @Test
    void theSandboxOfAnEndedTaskIsRemovedAfterTheDelayWhileARunningOnesStays() throws Exception {
        start(SandboxSettings.DEFAULTS.withGcDelay(Duration.ofMillis(300)).withCheckInterval(Duration.ofMillis(50)));
        master.send(new AgentEvent.Launch(Harness.FRAMEWORK, task("running", "echo $$ > pid; exec sleep 1000")));
        rememberPid("running");
        master.send(new AgentEvent.Launch(Harness.FRAMEWORK, task("done", "echo bye")));
        acknowledgeUntil("done", TaskState.TASK_FINISHED);

        await().atMost(WAIT).until(() -> !Files.exists(sandbox("done")));

        assertThat(sandbox("running").resolve("pid")).exists();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private String get(String pathAndQuery) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(agent.url().resolve(pathAndQuery)).build(),
                HttpResponse.BodyHandlers.ofString());
        return response.statusCode() + " " + response.body();
    }

    private Path sandbox(String taskId) {
        return workDir.resolve("sandboxes/fw-1").resolve(taskId);
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

    private void rememberPid(String taskId) {
        Path file = sandbox(taskId).resolve("pid");
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
