package io.tandem.cli;

import io.tandem.api.ZooKeeperUrl;
import io.tandem.sdk.ResourceNeeds;
import io.tandem.sdk.SchedulerDriver;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tandem run}: like {@code mesos-execute}, registers a short-lived framework, runs a command as
 * N tasks, prints their state changes and exits 0 when all finished, 1 otherwise. Ctrl-C or SIGTERM
 * kills the tasks and tears the framework down before the process exits.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run a command as tasks on the cluster and wait for them (like mesos-execute).")
final class RunCommand implements Callable<Integer> {
    /** How long after a kill the interrupted run waits for the tasks' ends, beyond their grace period. */
    static final Duration KILL_WAIT = Duration.ofSeconds(15);
    /** How often the masters are probed while none is subscribed, to name why. */
    static final Duration PROBE_EVERY = Duration.ofSeconds(1);

    @Spec
    CommandSpec spec;

    @Option(names = "--master", required = true, paramLabel = "URL",
            description = "Master URL, or several separated by commas (env TANDEM_MASTER).")
    String master;

    @Option(names = "--cpus", required = true, description = "CPUs per task, e.g. 0.5.")
    double cpus;

    @Option(names = "--mem", required = true, paramLabel = "MB", description = "Memory per task in MB.")
    double mem;

    @Option(names = "--disk", paramLabel = "MB", description = "Disk per task in MB (default: none).")
    double disk;

    @Option(names = "--instances", paramLabel = "N", description = "Number of tasks (default: ${DEFAULT-VALUE}).")
    int instances = 1;

    @Option(names = "--role", description = "Role to run under (default: ${DEFAULT-VALUE}).")
    String role = "*";

    @Option(names = "--name", description = "Framework name and task id prefix (default: ${DEFAULT-VALUE}).")
    String name = "tandem-run";

    @Option(names = "--env", paramLabel = "K=V", description = "Environment variable for the command; repeatable.")
    Map<String, String> env = new LinkedHashMap<>();

    @Option(names = "--shell", negatable = true,
            description = "Run CMD through sh -c (default: when CMD is one argument).")
    Boolean shell;

    @Option(names = "--kill-grace", paramLabel = "DURATION",
            description = "Time between SIGTERM and SIGKILL when a task is killed, with its unit: 500ms, 5s, 2m"
                    + " (default: the agent's).")
    Duration killGrace;

    @Option(names = "--subscribe-timeout", paramLabel = "DURATION", defaultValue = "60s",
            description = "Give up when no master accepts the framework within this time, with its unit: 30s, 2m"
                    + " (default: ${DEFAULT-VALUE}).")
    Duration subscribeTimeout;

    @Option(names = "--log-level", description = "ERROR, WARN, INFO or DEBUG (default: ${DEFAULT-VALUE}).")
    String logLevel = "WARN";

    @Parameters(arity = "1..*", paramLabel = "CMD", description = "The command, after --.")
    List<String> command;

    @Override
    public Integer call() throws Exception {
        RunSpec runSpec = runSpec();
        Logging.setLevel(logLevel);
        RunLogFilter.installFor(logLevel);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        RunScheduler scheduler = new RunScheduler(runSpec, out, err, InstantSource.system());
        SchedulerDriver driver = SchedulerDriver.builder()
                .masters(masters())
                .frameworkInfo(frameworkInfo())
                .scheduler(scheduler)
                .build();
        Thread interrupted = new Thread(() -> killAndTearDown(scheduler, driver, runSpec, err), "tandem-run-interrupted");
        Runtime.getRuntime().addShutdownHook(interrupted);
        try {
            driver.start();
            RunOutcome outcome = await(scheduler, driver::isSubscribed, new RunMasterProbe(
                    masters().stream().filter(url -> !ZooKeeperUrl.isZooKeeper(url)).toList(), err));
            report(outcome, err);
            return outcome.exitCode();
        } finally {
            driver.stop(false);
            removeHook(interrupted);
        }
    }

    /** The spec of what to run, or a usage error (exit 2) naming the bad option. */
    RunSpec runSpec() {
        require(cpus > 0 && Double.isFinite(cpus), "--cpus must be a positive number, got " + cpus);
        require(mem > 0 && Double.isFinite(mem), "--mem must be a positive number of MB, got " + mem);
        require(disk >= 0 && Double.isFinite(disk), "--disk must not be negative, got " + disk);
        require(instances >= 1, "--instances must be at least 1, got " + instances);
        require(!masters().isEmpty(), "--master names no URL");
        require(subscribeTimeout.isPositive(), "--subscribe-timeout must be positive, got " + text(subscribeTimeout));
        masters().stream().filter(url -> !ZooKeeperUrl.isZooKeeper(url)).forEach(url -> require(
                RunMasterProbe.address(url).isPresent(),
                "--master '" + url + "' is not a URL with a host, e.g. http://127.0.0.1:5050"));
        require(!name.isBlank() && !name.contains("/"), "--name must be non-blank and contain no '/'");
        require(!command.getFirst().isBlank(), "CMD must not be empty");
        boolean viaShell = shell != null ? shell : command.size() == 1;
        return new RunSpec(name, instances, new ResourceNeeds(cpus, mem, disk, 0),
                RunSpec.command(command, viaShell, env), killGrace);
    }

    /** {@code --master}'s URLs: a comma-separated list, or one {@code zk://h1:2181,h2:2181/path}. */
    List<String> masters() {
        if (ZooKeeperUrl.isZooKeeper(master)) {
            return List.of(master.strip());
        }
        return Arrays.stream(master.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    /**
     * A framework that does not outlive this process (failover_timeout 0), MULTI_ROLE so that its
     * one role is explicit. Not PARTITION_AWARE: a task on an unreachable agent is then reported
     * TASK_LOST and the run ends, rather than waiting on TASK_UNREACHABLE indefinitely.
     */
    FrameworkInfo frameworkInfo() {
        return FrameworkInfo.newBuilder()
                .setUser(System.getProperty("user.name", "nobody"))
                .setName(name)
                .addRoles(role)
                .setFailoverTimeout(0)
                .addCapabilities(FrameworkInfo.Capability.newBuilder().setType(FrameworkInfo.Capability.Type.MULTI_ROLE))
                .build();
    }

    /**
     * Waits for the run to end. A refusal (4xx to SUBSCRIBE, ERROR event) ends it at once; while no
     * master is subscribed the masters are probed every {@link #PROBE_EVERY} so that a cause is
     * named once; without any subscription within {@code --subscribe-timeout} the run gives up.
     */
    RunOutcome await(RunScheduler scheduler, BooleanSupplier connected, RunMasterProbe probe)
            throws InterruptedException, ExecutionException {
        long deadline = System.nanoTime() + subscribeTimeout.toNanos();
        while (true) {
            long wait = PROBE_EVERY.toNanos();
            if (!scheduler.subscribed().isDone()) {
                wait = Math.max(0, Math.min(wait, deadline - System.nanoTime()));
            }
            try {
                return scheduler.finished().get(wait, TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                // not ended yet: see below
            }
            if (!connected.getAsBoolean()) {
                probe.check();
            }
            if (!scheduler.subscribed().isDone() && System.nanoTime() - deadline >= 0) {
                List<String> addresses = masters().stream()
                        .map(url -> RunMasterProbe.address(url).map(Object::toString).orElse(url)).toList();
                return RunOutcome.error("no master at " + String.join(", ", addresses)
                        + " accepted the framework within " + text(subscribeTimeout));
            }
        }
    }

    /** A duration as people write it on the command line: {@code 500ms}, {@code 5s}, {@code 2m}. */
    static String text(Duration duration) {
        long millis = duration.toMillis();
        if (millis % 1000 != 0) {
            return millis + "ms";
        }
        long seconds = millis / 1000;
        return seconds % 60 == 0 && seconds > 0 ? seconds / 60 + "m" : seconds + "s";
    }

    private static void report(RunOutcome outcome, PrintWriter err) {
        if (outcome.error() != null) {
            err.println("tandem run: " + outcome.error());
        }
        outcome.failures().forEach(err::println);
        err.flush();
    }

    /** The shutdown hook: kill what runs, wait (bounded) for the kills to be reported, tear down. */
    private static void killAndTearDown(RunScheduler scheduler, SchedulerDriver driver, RunSpec runSpec,
                                        PrintWriter err) {
        if (scheduler.finished().isDone()) {
            return;
        }
        err.println("tandem run: interrupted; killing " + scheduler.liveTasks() + " task(s)");
        err.flush();
        scheduler.killAll(driver);
        Duration wait = KILL_WAIT.plus(runSpec.killGrace() == null ? Duration.ZERO : runSpec.killGrace());
        try {
            scheduler.finished().get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            err.println("tandem run: tasks not reported killed within " + text(wait) + "; tearing down anyway");
        }
        driver.stop(false);
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down, and the hook is what runs now.
        }
    }

    private void require(boolean ok, String message) {
        if (!ok) {
            throw new ParameterException(spec.commandLine(), message);
        }
    }
}
