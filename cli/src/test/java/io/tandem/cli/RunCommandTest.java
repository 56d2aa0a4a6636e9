package io.tandem.cli;

import static org.assertj.core.api.Assertions.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;

import com.sun.net.httpserver.HttpServer;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class RunCommandTest {
    private final RunCommand run = new RunCommand();
    private final CommandLine commandLine = new CommandLine(run);
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    RunCommandTest() {
        commandLine.registerConverter(Duration.class, new DurationConverter());   // as Main does
        commandLine.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
    }

    private RunSpec parse(String... args) {
        commandLine.parseArgs(args);
        return run.runSpec();
    }

    @Test
    void runsOneArgumentThroughTheShell() {
        RunSpec spec = parse("--master", "m:5050", "--cpus", "0.5", "--mem", "64", "--", "echo hello; exit 3");

        assertThat(spec.command()).isEqualTo(CommandInfo.newBuilder().setShell(true).setValue("echo hello; exit 3").build());
        assertThat(spec.instances()).isEqualTo(1);
        assertThat(spec.taskId(0)).isEqualTo("tandem-run-0");
    }

    @Test
    void runsSeveralArgumentsAsArgv() {
        RunSpec spec = parse("--master", "m:5050", "--cpus", "1", "--mem", "64", "--", "ls", "-l", "/tmp");

        assertThat(spec.command().getShell()).isFalse();
        assertThat(spec.command().getValue()).isEqualTo("ls");
        assertThat(spec.command().getArgumentsList()).containsExactly("ls", "-l", "/tmp");
    }

    @Test
    void shellFlagsOverrideTheGuess() {
        assertThat(parse("--master", "m", "--cpus", "1", "--mem", "1", "--no-shell", "--", "/bin/true").command().getShell())
                .isFalse();
        CommandInfo joined = parse("--master", "m", "--cpus", "1", "--mem", "1", "--shell", "--", "echo", "a b").command();
        assertThat(joined.getShell()).isTrue();
        assertThat(joined.getValue()).isEqualTo("echo a b");
    }

    @Test
    void carriesEnvironmentKillGraceNameAndInstances() {
        RunSpec spec = parse("--master", "m", "--cpus", "0.25", "--mem", "32", "--disk", "10", "--instances", "4",
                "--name", "batch", "--env", "A=1", "--env", "B=two=2", "--kill-grace", "2500ms", "--", "env");

        assertThat(spec.name()).isEqualTo("batch");
        assertThat(spec.instances()).isEqualTo(4);
        assertThat(spec.needs().diskMb()).isEqualTo(10);
        assertThat(spec.command().getEnvironment().getVariablesList())
                .extracting(v -> v.getName() + "=" + v.getValue()).containsExactly("A=1", "B=two=2");
        var task = spec.task(3, org.apache.mesos.v1.Protos.AgentID.newBuilder().setValue("a").build(), java.util.List.of());
        assertThat(task.getTaskId().getValue()).isEqualTo("batch-3");
        assertThat(task.getKillPolicy().getGracePeriod().getNanoseconds()).isEqualTo(2_500_000_000L);
    }

    @Test
    void registersAShortLivedMultiRoleFramework() {
        parse("--master", "http://m1:5050, http://m2:5050", "--cpus", "1", "--mem", "1", "--role", "batch", "--", "true");

        FrameworkInfo info = run.frameworkInfo();
        assertThat(info.getName()).isEqualTo("tandem-run");
        assertThat(info.getRolesList()).containsExactly("batch");
        assertThat(info.getFailoverTimeout()).isZero();
        assertThat(info.getCapabilitiesList()).extracting(FrameworkInfo.Capability::getType)
                .containsExactly(FrameworkInfo.Capability.Type.MULTI_ROLE);
        assertThat(run.masters()).containsExactly("http://m1:5050", "http://m2:5050");
    }

    @Test
    void badValuesAreUsageErrors() {
        int exit = commandLine.execute("--master", "m", "--cpus", "0", "--mem", "64", "--", "true");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("--cpus must be a positive number, got 0.0");
    }

    @Test
    void aMissingCommandIsAUsageError() {
        int exit = commandLine.execute("--master", "m", "--cpus", "1", "--mem", "64");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("CMD");
    }

    @Test
    void durationsTakeAUnitAndABareNumberIsAUsageError() {
        RunSpec spec = parse("--master", "m", "--cpus", "1", "--mem", "1", "--kill-grace", "2m", "--", "true");
        assertThat(spec.killGrace()).isEqualTo(Duration.ofMinutes(2));
        assertThat(run.subscribeTimeout).isEqualTo(Duration.ofSeconds(60));

        int exit = commandLine.execute("--master", "m", "--cpus", "1", "--mem", "1", "--subscribe-timeout", "30", "--", "true");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("'30' is not a duration; write a number and a unit");
        assertThat(commandLine.getUsageMessage()).contains("--subscribe-timeout=DURATION", "(default: 60s)");
    }

    @Test
    void aZeroSubscribeTimeoutIsAUsageError() {
        int exit = commandLine.execute("--master", "m", "--cpus", "1", "--mem", "1", "--subscribe-timeout", "0s", "--", "true");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("--subscribe-timeout must be positive, got 0s");
    }

    @Test
    void aMasterThatIsNoUrlIsAUsageError() {
        int exit = commandLine.execute("--master", "http://exa mple:5050", "--cpus", "1", "--mem", "1", "--", "true");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("--master 'http://exa mple:5050' is not a URL with a host");
    }

    @Test
    void writesDurationsAsPeopleDo() {
        assertThat(RunCommand.text(Duration.ofMillis(500))).isEqualTo("500ms");
        assertThat(RunCommand.text(Duration.ofSeconds(5))).isEqualTo("5s");
        assertThat(RunCommand.text(Duration.ofSeconds(90))).isEqualTo("90s");
        assertThat(RunCommand.text(Duration.ofMinutes(2))).isEqualTo("2m");
    }

    @Test
    void aMasterThatRefusesTheFrameworkEndsTheRunAtOnceWithOneLine() throws Exception {
        HttpServer master = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        master.createContext("/api/v1/scheduler", exchange -> {
            byte[] body = "Role 'bad role!' is invalid".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(400, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        master.start();
        try {
            long started = System.nanoTime();
            int exit = commandLine.execute("--master", "http://127.0.0.1:" + master.getAddress().getPort(),
                    "--cpus", "1", "--mem", "64", "--role", "bad role!", "--log-level", "ERROR", "--", "true");

            assertThat(exit).isEqualTo(1);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
            assertThat(err.toString().lines()).singleElement(as(STRING))
                    .startsWith("tandem run: ").contains("400", "Role 'bad role!' is invalid");
        } finally {
            master.stop(0);
        }
    }

    @Test
    void anErrorEventEndsTheWaitWithoutWaitingForTheSubscribeTimeout() throws Exception {
        RunSpec spec = parse("--master", "m", "--cpus", "1", "--mem", "1", "--subscribe-timeout", "10m", "--", "true");
        PrintWriter quiet = new PrintWriter(new StringWriter());
        RunScheduler scheduler = new RunScheduler(spec, quiet, quiet, InstantSource.system());
        scheduler.error(new RunFakeCalls(), "Framework has been removed");

        RunOutcome outcome = run.await(scheduler, () -> false, new RunMasterProbe(List.of(), quiet));

        assertThat(outcome).isEqualTo(RunOutcome.error("Framework has been removed"));
    }

    @Test
    void anUnreachableMasterIsNamedOnceWithItsCauseAndTheRunGivesUp() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();   // closed again: nothing listens there
        }

        int exit = commandLine.execute("--master", "http://127.0.0.1:" + port, "--cpus", "1", "--mem", "64",
                "--subscribe-timeout", "2500ms", "--log-level", "ERROR", "--", "true");

        assertThat(exit).isEqualTo(1);
        assertThat(err.toString().lines()).containsExactly(
                "tandem run: cannot reach the master at http://127.0.0.1:" + port + ": connection refused; retrying",
                "tandem run: no master at http://127.0.0.1:" + port + " accepted the framework within 2500ms");
    }
}
