package io.tandem.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import io.tandem.api.MesosJson;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.master.Protos.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real cluster: one master and three agents, each its own OS process started with
 * {@code bin/tandem}, talking HTTP on loopback; frameworks are {@code bin/tandem run} processes.
 */
class ClusterProcessIT {
    private static final Duration START = Duration.ofSeconds(60);
    private static final List<TandemProcess> cluster = new ArrayList<>();
    private static String masterUrl;

    @TempDir
    static Path workDir;

    @BeforeAll
    static void startCluster() throws Exception {
        TandemProcess master = TandemProcess.start("master", "--port", "0", "--bind-address", "127.0.0.1",
                "--work-dir", workDir.resolve("master").toString(), "--allocation-interval", "200ms");
        cluster.add(master);
        masterUrl = master.awaitStdout("listening on (http://\\S+)", START).replaceAll("/$", "");
        for (int i = 0; i < 3; i++) {
            TandemProcess agent = TandemProcess.start("agent", "--master", masterUrl, "--port", "0",
                    "--bind-address", "127.0.0.1", "--work-dir", workDir.resolve("agent" + i).toString(),
                    "--resources", "cpus:4;mem:4096;disk:4096;ports:[" + (31000 + i * 100) + "-" + (31099 + i * 100) + "]",
                    "--attributes", "rack:r" + i);
            cluster.add(agent);
            agent.awaitStdout("(listening on .*)", START);
        }
        await().atMost(START).until(() -> operator("GET_AGENTS").getGetAgents().getAgentsCount() == 3);
    }

    @AfterAll
    static void stopCluster() throws InterruptedException {
        for (TandemProcess process : cluster.reversed()) {
            process.close();
        }
    }

    private static Response operator(String type) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(masterUrl + "/api/v1"))
                        .header("Content-Type", "application/json").header("Accept", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"" + type + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return MesosJson.parse(response.body(), Response.newBuilder()).build();
    }

    @Test
    void echoRunsToFinishedAndRunExitsZero() throws Exception {
        try (TandemProcess run = TandemProcess.start("run", "--master", masterUrl, "--name", "hello",
                "--cpus", "0.1", "--mem", "32", "--", "echo hello")) {
            assertThat(run.awaitExit(START)).as(run.describe()).isZero();
            assertThat(run.stdout()).contains("TASK_RUNNING").contains("TASK_FINISHED");
        }
    }

    @Test
    void failingTaskMakesRunExitNonZeroAndSayWhy() throws Exception {
        try (TandemProcess run = TandemProcess.start("run", "--master", masterUrl, "--name", "three",
                "--cpus", "0.1", "--mem", "32", "--", "exit 3")) {
            assertThat(run.awaitExit(START)).as(run.describe()).isNotZero();
            assertThat(run.stdout() + run.stderr()).contains("TASK_FAILED").contains("status 3");
        }
    }

    @Test
    void manyInstancesCompleteAcrossTheAgents() throws Exception {
        try (TandemProcess run = TandemProcess.start("run", "--master", masterUrl, "--name", "many",
                "--instances", "60", "--cpus", "0.1", "--mem", "16", "--", "sleep 1")) {
            assertThat(run.awaitExit(Duration.ofMinutes(3))).as(run.describe()).isZero();
            assertThat(run.stdout().lines().filter(l -> l.contains("TASK_FINISHED")).count()).isEqualTo(60);
        }
    }

    @Test
    void interruptingRunKillsItsTasks() throws Exception {
        try (TandemProcess run = TandemProcess.start("run", "--master", masterUrl, "--name", "sleeper",
                "--instances", "2", "--cpus", "0.1", "--mem", "16", "--", "sleep 600")) {
            await().atMost(START).until(() -> run.stdout().lines().filter(l -> l.contains("TASK_RUNNING")).count() == 2);

            run.terminate();

            run.awaitExit(START);
            assertThat(run.stdout()).contains("TASK_KILLED");
            await().atMost(START).untilAsserted(() -> assertThat(operator("GET_TASKS").getGetTasks().getTasksList())
                    .filteredOn(task -> task.getTaskId().getValue().startsWith("sleeper-"))
                    .noneMatch(task -> task.getState() == TaskState.TASK_RUNNING));
        }
    }

    @Test
    void stateShowsAgentsAsATable() throws Exception {
        try (TandemProcess state = TandemProcess.start("state", "--master", masterUrl)) {
            assertThat(state.awaitExit(START)).as(state.describe()).isZero();
            assertThat(state.stdout()).contains("AGENTS", "FRAMEWORKS", "TASKS");
            for (var agent : operator("GET_AGENTS").getGetAgents().getAgentsList()) {
                assertThat(state.stdout()).contains(agent.getAgentInfo().getId().getValue());
            }
        }
    }

    @Test
    void tasksShowsARunningTasksUsageAsItsAgentReportsIt() throws Exception {
        org.assertj.core.api.Assumptions.assumeThat(io.tandem.agent.isolation.IsolationChoice.Host.detect().root())
                .as("agents run as root, so tasks get cgroups").isTrue();
        try (TandemProcess run = TandemProcess.start("run", "--master", masterUrl, "--name", "measured",
                "--cpus", "0.1", "--mem", "48", "--", "sleep 600")) {
            await().atMost(START).until(() -> run.stdout().contains("TASK_RUNNING"));

            // Agents report every 5 s by default: the task's first reading arrives within one report.
            String shown = await().atMost(START).until(() -> {
                try (TandemProcess tasks = TandemProcess.start("tasks", "--master", masterUrl)) {
                    assertThat(tasks.awaitExit(START)).as(tasks.describe()).isZero();
                    return tasks.stdout();
                }
            }, out -> out.lines().anyMatch(l -> l.startsWith("measured-") && !l.contains(" - ")));

            // The task as the master knows it, with the memory limit its agent set from its 48 MB.
            assertThat(shown).containsPattern("measured-\\S* +measured \\(\\S+\\) +\\S+ +TASK_RUNNING +[\\d.]+/[\\d.]+ +[\\d.]+/48 ");
            run.terminate();
            run.awaitExit(START);
        }
    }

    @Test
    void malformedResourcesStopTheAgentAndNameTheToken() throws Exception {
        try (TandemProcess agent = TandemProcess.start("agent", "--master", masterUrl, "--port", "0",
                "--work-dir", workDir.resolve("bad").toString(), "--resources", "cpus:4;mem:lots")) {
            assertThat(agent.awaitExit(START)).isEqualTo(2);
            assertThat(agent.stderr()).contains("mem:lots");
        }
    }
}
