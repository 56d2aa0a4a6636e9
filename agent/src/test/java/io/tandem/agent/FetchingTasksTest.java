package io.tandem.agent;

import static io.tandem.agent.Harness.shellTask;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.tandem.api.TandemReasons;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Command tasks and executors get their URIs fetched into the sandbox before they start. */
class FetchingTasksTest {
    @TempDir
    Path workDir;

    @TempDir
    Path files;

    private Harness agent;

    @BeforeEach
    void startAgent() {
        agent = new Harness(workDir, Duration.ofSeconds(3));
    }

    @AfterEach
    void stopAgent() {
        agent.close();
    }

    private static TaskInfo withUris(TaskInfo task, CommandInfo.URI... uris) {
        return task.toBuilder().setCommand(task.getCommand().toBuilder().addAllUris(java.util.List.of(uris))).build();
    }

    private static CommandInfo.URI uri(String value) {
        return CommandInfo.URI.newBuilder().setValue(value).build();
    }

    @Test
    void aCommandTaskRunsWithItsFetchedFilesInItsSandbox() throws IOException {
        Path script = Files.writeString(files.resolve("greet.sh"), "#!/bin/sh\necho \"hello from $(basename $0)\"\n");

        agent.launch(withUris(shellTask("t1", "./greet.sh"),
                uri(script.toString()).toBuilder().setExecutable(true).build()));

        agent.awaitState("t1", TaskState.TASK_FINISHED);
        assertThat(agent.states("t1")).containsExactly(
                TaskState.TASK_STARTING, TaskState.TASK_RUNNING, TaskState.TASK_FINISHED);
        assertThat(Files.readString(agent.sandbox("t1").resolve("stdout"))).isEqualTo("hello from greet.sh\n");
    }

    @Test
    void anUnreachableUriFailsTheTaskNamingItAndLeavesOtherTasksAlone() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String unreachable = "http://127.0.0.1:" + port + "/app.tgz";

        agent.launch(withUris(shellTask("broken", "echo never"), uri(unreachable)));
        agent.launch(shellTask("fine", "echo fine"));

        TaskStatus failed = agent.awaitState("broken", TaskState.TASK_FAILED);
        assertThat(agent.states("broken")).containsExactly(TaskState.TASK_STARTING, TaskState.TASK_FAILED);
        assertThat(failed.getReason()).isEqualTo(TaskStatus.Reason.REASON_CONTAINER_LAUNCH_FAILED);
        assertThat(failed.getMessage()).startsWith("Failed to fetch '" + unreachable + "': cannot connect to");
        assertThat(TandemReasons.of(failed)).contains(TandemReasons.FETCHER_FAILED);
        assertThat(Files.readString(agent.sandbox("broken").resolve("stderr"))).contains("Failed to fetch");
        assertThat(agent.sandbox("broken").resolve("stdout")).doesNotExist();
        agent.awaitState("fine", TaskState.TASK_FINISHED);
        assertThat(Files.readString(agent.sandbox("fine").resolve("stdout"))).isEqualTo("fine\n");
    }

    @Test
    void anExecutorWhoseUriCannotBeFetchedFailsItsTask() {
        String missing = files.resolve("executor.jar").toString();
        ExecutorInfo executor = ExecutorInfo.newBuilder()
                .setExecutorId(ExecutorID.newBuilder().setValue("ex"))
                .setCommand(CommandInfo.newBuilder().setValue("java -jar executor.jar").addUris(uri(missing)))
                .build();
        TaskInfo task = TaskInfo.newBuilder().setName("t").setTaskId(Harness.taskId("t")).setAgentId(Harness.AGENT_ID)
                .setExecutor(executor).build();

        agent.launch(task);

        TaskStatus failed = agent.awaitState("t", TaskState.TASK_FAILED);
        assertThat(failed.getReason()).isEqualTo(TaskStatus.Reason.REASON_CONTAINER_LAUNCH_FAILED);
        assertThat(failed.getMessage()).isEqualTo("Failed to launch executor 'ex': Failed to fetch '" + missing
                + "': no such file");
        assertThat(TandemReasons.of(failed)).contains(TandemReasons.FETCHER_FAILED);
    }

    @Test
    void aUriAnsweredWith404FailsTheTaskWithTheFetcherReasonAndTheStatus() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        server.start();
        try {
            String missing = "http://127.0.0.1:" + server.getAddress().getPort() + "/missing.tgz";

            agent.launch(withUris(shellTask("t404", "echo never"), uri(missing)));

            TaskStatus failed = agent.awaitState("t404", TaskState.TASK_FAILED);
            assertThat(failed.getReason()).isEqualTo(TaskStatus.Reason.REASON_CONTAINER_LAUNCH_FAILED);
            assertThat(failed.getMessage()).isEqualTo("Failed to fetch '" + missing + "': the server answered 404");
            assertThat(TandemReasons.of(failed)).contains(TandemReasons.FETCHER_FAILED);
            assertThat(agent.sandbox("t404").resolve("stdout")).doesNotExist();
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aTaskThatFailsForAnotherReasonCarriesNoFetcherReason() {
        agent.launch(shellTask("plain", "exit 3"));

        TaskStatus failed = agent.awaitState("plain", TaskState.TASK_FAILED);
        assertThat(failed.getReason()).isEqualTo(TaskStatus.Reason.REASON_COMMAND_EXECUTOR_FAILED);
        assertThat(TandemReasons.of(failed)).isEmpty();
        assertThat(failed.hasLabels()).isFalse();
    }
}
