package io.tandem.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import io.tandem.api.MesosJson;
import org.apache.mesos.v1.Protos.Task;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.master.Protos.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tandem's promise that Mesos frameworks run unchanged, checked with a third-party library: the
 * scheduler in {@code src/test/compat/mesos-framework} is written against the npm package
 * {@code mesos-framework} (pinned in its package-lock.json) exactly as that package's README shows,
 * and runs with {@code node} against a master and an agent started with {@code bin/tandem}.
 *
 * <p>Needs Node.js 18+ with npm on the PATH and the npm registry (for {@code npm ci}).
 */
class MesosFrameworkCompatIT {
    private static final Path HOME = Path.of(System.getProperty("tandem.home", "..")).toAbsolutePath().normalize();
    private static final Path SOURCE = HOME.resolve("cli/src/test/compat/mesos-framework");
    private static final Path COPY = HOME.resolve("cli/target/compat/mesos-framework");
    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration NPM_CI = Duration.ofMinutes(5);
    private static final Duration SCHEDULER = Duration.ofMinutes(2);
    private static final int TASKS = 3;
    private static final List<TandemProcess> cluster = new ArrayList<>();
    private static String masterUrl;

    @TempDir
    static Path workDir;

    @BeforeAll
    static void installLibraryAndStartCluster() throws Exception {
        requireNodeAndNpm();
        copySources();
        Outcome npm = run(COPY.resolve("npm-ci.log"), NPM_CI,
                "npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts"); // none of the packages has one
        assertThat(npm.exitCode()).as("npm ci failed:\n%s", npm.output()).isZero();

        TandemProcess master = TandemProcess.start("master", "--port", "0", "--bind-address", "127.0.0.1",
                "--work-dir", workDir.resolve("master").toString());
        cluster.add(master);
        masterUrl = master.awaitStdout("listening on (http://\\S+)", START).replaceAll("/$", "");
        TandemProcess agent = TandemProcess.start("agent", "--master", masterUrl, "--port", "0",
                "--bind-address", "127.0.0.1", "--work-dir", workDir.resolve("agent").toString(),
                "--resources", "cpus:2;mem:2048;disk:2048;ports:[31000-31100]");
        cluster.add(agent);
        agent.awaitStdout("(listening on .*)", START);
        await().atMost(START).until(() -> operator("GET_AGENTS").getGetAgents().getAgentsCount() == 1);
    }

    @AfterAll
    static void stopCluster() throws InterruptedException {
        for (TandemProcess process : cluster.reversed()) {
            process.close();
        }
    }

    @Test
    void unmodifiedMesosFrameworkSchedulerRunsItsTasksToFinished() throws Exception {
        URI master = URI.create(masterUrl);

        Outcome scheduler = run(COPY.resolve("scheduler.log"), SCHEDULER, "node", "scheduler.js",
                master.getHost() + ":" + master.getPort(), String.valueOf(TASKS), "90");

        assertThat(scheduler.exitCode()).as(scheduler.output()).isZero();
        assertThat(scheduler.output()).as(scheduler.output()).contains("ALL " + TASKS + " TASKS FINISHED");
        assertThat(scheduler.output().lines().filter(line -> line.startsWith("UPDATE ") && line.contains(" TASK_FINISHED")))
                .as(scheduler.output()).hasSize(TASKS);
        String frameworkId = firstGroup(scheduler.output(), "SUBSCRIBED framework (\\S+)");
        assertThat(tasksOf(frameworkId)).as("GET_TASKS of framework %s", frameworkId)
                .hasSize(TASKS)
                .allSatisfy(task -> assertThat(task.getState()).isEqualTo(TaskState.TASK_FINISHED));
    }

    /** Tasks in either list: after the scheduler's TEARDOWN they are completed tasks. */
    private static List<Task> tasksOf(String frameworkId) throws Exception {
        var tasks = operator("GET_TASKS").getGetTasks();
        return Stream.concat(tasks.getTasksList().stream(), tasks.getCompletedTasksList().stream())
                .filter(task -> task.getFrameworkId().getValue().equals(frameworkId))
                .toList();
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

    private static String firstGroup(String text, String regex) {
        Matcher matcher = Pattern.compile(regex).matcher(text);
        assertThat(matcher.find()).as("no line matching %s in:\n%s", regex, text).isTrue();
        return matcher.group(1);
    }

    private static void requireNodeAndNpm() throws InterruptedException {
        for (String tool : List.of("node", "npm")) {
            try {
                Process process = new ProcessBuilder(tool, "--version").redirectErrorStream(true).start();
                process.getInputStream().transferTo(OutputStream.nullOutputStream());
                if (process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0) {
                    continue;
                }
                process.destroyForcibly();
            } catch (IOException e) {
                // not on the PATH; said below
            }
            fail("MesosFrameworkCompatIT needs Node.js 18 or newer with npm on the PATH ('" + tool
                    + " --version' did not run). Install them, e.g. 'apt-get install nodejs npm' or from https://nodejs.org.");
        }
    }

    /** A fresh copy, without what an earlier manual run left in the source folder. */
    private static void copySources() throws IOException {
        if (Files.exists(COPY)) {
            try (Stream<Path> old = Files.walk(COPY)) {
                for (Path path : old.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
        try (Stream<Path> sources = Files.walk(SOURCE)) {
            for (Path source : sources.toList()) {
                Path relative = SOURCE.relativize(source);
                if (relative.startsWith("node_modules") || relative.startsWith("logs")) {
                    continue;
                }
                Path target = COPY.resolve(relative.toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
    }

    /**
     * Runs a command in the copy with stdout and stderr going to {@code log}, killing it and
     * everything it started if it outlives {@code timeout}.
     */
    private static Outcome run(Path log, Duration timeout, String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(COPY.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            boolean exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            String output = Files.readString(log, StandardCharsets.UTF_8);
            if (!exited) {
                fail("'%s' still running after %s:\n%s", String.join(" ", command), timeout, output);
            }
            return new Outcome(process.exitValue(), output);
        } finally {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private record Outcome(int exitCode, String output) {}
}
