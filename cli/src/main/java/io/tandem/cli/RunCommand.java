package io.tandem.cli;

import io.tandem.sdk.ResourceNeeds;
import io.tandem.sdk.SchedulerDriver;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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

    @Option(names = "--kill-grace", paramLabel = "SECONDS",
            description = "Time between SIGTERM and SIGKILL when a task is killed (default: the agent's).")
    Double killGrace;

    @Option(names = "--subscribe-timeout", paramLabel = "SECONDS",
            description = "Give up when no master accepts the framework within this time (default: ${DEFAULT-VALUE}).")
    double subscribeTimeout = 60;

    @Option(names = "--log-level", description = "ERROR, WARN, INFO or DEBUG (default: ${DEFAULT-VALUE}).")
    String logLevel = "WARN";

    @Parameters(arity = "1..*", paramLabel = "CMD", description = "The command, after --.")
    List<String> command;

    @Override
    public Integer call() throws Exception {
        RunSpec runSpec = runSpec();
        Logging.setLevel(logLevel);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        RunScheduler scheduler = new RunScheduler(runSpec, out);
        SchedulerDriver driver = SchedulerDriver.builder()
                .masters(masters())
                .frameworkInfo(frameworkInfo())
                .scheduler(scheduler)
                .build();
        Thread interrupted = new Thread(() -> killAndTearDown(scheduler, driver, runSpec, err), "tandem-run-interrupted");
        Runtime.getRuntime().addShutdownHook(interrupted);
        try {
            driver.start();
            RunOutcome outcome = await(scheduler);
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
        require(killGrace == null || killGrace >= 0, "--kill-grace must not be negative, got " + killGrace);
        require(subscribeTimeout > 0, "--subscribe-timeout must be positive, got " + subscribeTimeout);
        require(!name.isBlank() && !name.contains("/"), "--name must be non-blank and contain no '/'");
        require(!command.getFirst().isBlank(), "CMD must not be empty");
        boolean viaShell = shell != null ? shell : command.size() == 1;
        Duration grace = killGrace == null ? null : Duration.ofNanos(Math.round(killGrace * 1e9));
        return new RunSpec(name, instances, new ResourceNeeds(cpus, mem, disk, 0),
                RunSpec.command(command, viaShell, env), grace);
    }

    List<String> masters() {
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

    private RunOutcome await(RunScheduler scheduler) throws InterruptedException, ExecutionException {
        try {
            scheduler.subscribed().get(Math.round(subscribeTimeout * 1000), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            if (!scheduler.finished().isDone()) {
                return RunOutcome.error("no master at " + String.join(", ", masters())
                        + " accepted the framework within " + subscribeTimeout + "s");
            }
        } catch (ExecutionException e) {
            // subscribed() never fails; finished() below carries any error.
        }
        return scheduler.finished().get();
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
            err.println("tandem run: tasks not reported killed within " + wait.toSeconds() + "s; tearing down anyway");
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
