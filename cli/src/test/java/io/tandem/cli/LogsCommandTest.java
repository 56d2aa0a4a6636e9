package io.tandem.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.tandem.api.MesosJson;
import io.tandem.testkit.FrameworkPool;
import io.tandem.testkit.InProcessCluster;
import io.tandem.testkit.RunningFramework;
import io.tandem.testkit.Tasks;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.AgentInfo;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.Task;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.master.Protos.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code tandem logs} against a real in-process cluster: the master's state, then the agent's file API. */
class LogsCommandTest {
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

    private int logs(String... args) {
        CommandLine commandLine = Main.commandLine();
        commandLine.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
        String[] all = new String[args.length + 2];
        all[0] = "logs";
        System.arraycopy(args, 0, all, 1, args.length);
        all[all.length - 1] = "--master=" + cluster.masterUrl();
        return commandLine.execute(all);
    }

    private static RunningFramework run(String name, String taskId, String script, TaskState until) {
        RunningFramework framework = frameworks.start(RunningFramework.info(name), Tasks.shell(taskId, script));
        framework.scheduler().awaitState(Tasks.id(taskId), until);
        return framework;
    }

    @Test
    void printsTheStdoutOrStderrOfAFinishedTask() {
        run("finished", "greeter", "echo hello; echo oops >&2", TaskState.TASK_FINISHED);

        assertThat(logs("greeter")).isZero();
        assertThat(out.toString()).isEqualTo("hello\n");

        out.getBuffer().setLength(0);
        assertThat(logs("greeter", "--stderr")).isZero();
        assertThat(out.toString()).isEqualTo("oops\n");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void followPrintsWhatComesUntilTheTaskEnds() {
        run("following", "counter", "for i in 1 2 3 4; do echo line $i; sleep 0.3; done", TaskState.TASK_RUNNING);

        int exit = logs("counter", "--follow", "--poll-interval", "100ms");

        assertThat(exit).isZero();
        assertThat(out.toString()).isEqualTo("line 1\nline 2\nline 3\nline 4\n");
    }

    @Test
    void anUnknownTaskIsOneLineAndExitOne() {
        assertThat(logs("no-such-task")).isEqualTo(1);

        assertThat(err.toString()).isEqualTo("tandem logs: no task no-such-task in the cluster\n");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void anIdSeveralFrameworksUseNeedsFrameworkToChoose() {
        FrameworkID first = run("twin-a", "twin", "echo from a", TaskState.TASK_FINISHED).id();
        FrameworkID second = run("twin-b", "twin", "echo from b", TaskState.TASK_FINISHED).id();

        assertThat(logs("twin")).isEqualTo(1);
        assertThat(err.toString()).contains("task id twin is used by frameworks").contains(first.getValue())
                .contains(second.getValue()).contains("choose one with --framework");

        assertThat(logs("twin", "--framework", second.getValue())).isZero();
        assertThat(out.toString()).isEqualTo("from b\n");
    }

    @Test
    void anUnreachableAgentIsNamed() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String master = stubMaster(port);

        CommandLine commandLine = Main.commandLine();
        commandLine.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
        int exit = commandLine.execute("logs", "lonely", "--master", master);

        assertThat(exit).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("tandem logs: cannot reach the agent at http://127.0.0.1:" + port
                + ": connection refused\n");
    }

    /** A master whose state has task "lonely" on an agent at {@code agentPort}, where nothing listens. */
    private String stubMaster(int agentPort) throws IOException {
        AgentID agent = AgentID.newBuilder().setValue("a1").build();
        Response.GetState state = Response.GetState.newBuilder()
                .setGetAgents(Response.GetAgents.newBuilder().addAgents(Response.GetAgents.Agent.newBuilder()
                        .setAgentInfo(AgentInfo.newBuilder().setId(agent).setHostname("localhost").setPort(agentPort))
                        .setPid("slave(1)@127.0.0.1:" + agentPort).setActive(true).setVersion("1.11.0").buildPartial()).buildPartial())
                .setGetTasks(Response.GetTasks.newBuilder().addCompletedTasks(Task.newBuilder().setName("lonely")
                        .setTaskId(TaskID.newBuilder().setValue("lonely"))
                        .setFrameworkId(FrameworkID.newBuilder().setValue("fw")).setAgentId(agent)
                        .setState(TaskState.TASK_FINISHED).buildPartial()).buildPartial())
                .buildPartial();
        byte[] body = MesosJson.print(Response.newBuilder().setType(Response.Type.GET_STATE).setGetState(state)
                .buildPartial()).getBytes(StandardCharsets.UTF_8);
        stubMaster = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        stubMaster.createContext("/api/v1", exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        stubMaster.start();
        return "http://127.0.0.1:" + stubMaster.getAddress().getPort();
    }
}
