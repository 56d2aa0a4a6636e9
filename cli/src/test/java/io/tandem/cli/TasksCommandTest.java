package io.tandem.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.tandem.agent.isolation.IsolationChoice;
import io.tandem.testkit.FrameworkPool;
import io.tandem.testkit.InProcessCluster;
import io.tandem.testkit.RunningFramework;
import io.tandem.testkit.Tasks;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.mesos.v1.Protos.TaskState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code tandem tasks} against a real in-process cluster whose tasks are real, contained processes. */
class TasksCommandTest {
    private static InProcessCluster cluster;
    private static FrameworkPool frameworks;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private HttpServer stubMaster;

    @BeforeAll
    static void startCluster() {
        cluster = InProcessCluster.builder().agents(1).start();
        frameworks = new FrameworkPool(cluster);
    }

    @AfterAll
    static void stopCluster() {
        frameworks.closeAll();
        cluster.close();
    }

    @AfterEach
    void stopStub() {
        if (stubMaster != null) {
            stubMaster.stop(0);
        }
    }

    private int tasks(String master, String... args) {
        CommandLine commandLine = Main.commandLine();
        commandLine.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
        String[] all = new String[args.length + 2];
        all[0] = "tasks";
        System.arraycopy(args, 0, all, 1, args.length);
        all[all.length - 1] = "--master=" + master;
        return commandLine.execute(all);
    }

    @Test
    void showsARunningTasksMemoryAgainstItsLimitAndItsProcesses() {
        assumeThat(IsolationChoice.Host.detect().root()).as("the agent runs as root, so tasks get cgroups").isTrue();
        RunningFramework framework = frameworks.start(RunningFramework.info("usage"),
                Tasks.shell("busy", "sleep 60 & while :; do :; done"));
        framework.scheduler().awaitState(Tasks.id("busy"), TaskState.TASK_RUNNING);

        // The agent reports every 200 ms here; the first report with the task's container may take one more.
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            out.getBuffer().setLength(0);
            return tasks(cluster.masterUrl().toString()) == 0
                    && java.util.regex.Pattern.compile("busy .* 2 ").matcher(out.toString()).find();
        });

        // 32 MB: the task's mem (Tasks.shell's default), its hard limit; 2 processes: the shell and its sleep.
        assertThat(out.toString()).containsPattern(
                "busy +usage \\(\\d+\\) +\\S+ +TASK_RUNNING +[\\d.]+/[\\d.]+ +[\\d.]+/32 +2 +[\\d.-]+/[\\d.-]+ +[\\d.]+s\n");
        assertThat(err.toString()).isEmpty();
        framework.close();
    }

    @Test
    void jsonPrintsTheMastersAnswer() {
        assertThat(tasks(cluster.masterUrl().toString(), "--json")).isZero();

        assertThat(out.toString()).contains("\"taken_at\"", "\"tasks\"");
    }

    @Test
    void aMasterWithoutTheEndpointIsNamed() throws IOException {
        stubMaster = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        stubMaster.createContext("/", exchange -> {
            byte[] body = "no such endpoint".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(404, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        stubMaster.start();
        String url = "http://127.0.0.1:" + stubMaster.getAddress().getPort();

        assertThat(tasks(url)).isEqualTo(1);

        assertThat(err.toString()).isEqualTo("tandem tasks: cannot get the tasks from " + url
                + "/tasks/usage: the master answered 404: no such endpoint\n");
    }
}
