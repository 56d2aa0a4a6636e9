package io.tandem.agent;

import io.tandem.agent.isolation.Isolation;
import io.tandem.agent.isolation.LimitPolicy;
import io.tandem.agent.isolation.Limitation;
import io.tandem.agent.isolation.Limits;
import io.tandem.agent.isolation.Container;
import io.tandem.agent.health.HealthCheckValidation;
import io.tandem.agent.loop.Timers;
import io.tandem.agent.process.CommandLines;
import io.tandem.agent.process.ExitStatusFile;
import io.tandem.agent.process.ExitStatus;
import io.tandem.agent.process.LaunchSpec;
import io.tandem.agent.process.ProcessGroup;
import io.tandem.agent.process.ProcessLauncher;
import io.tandem.agent.process.Sandboxes;
import io.tandem.agent.recovery.CheckpointWriter;
import io.tandem.agent.recovery.ProcessStamp;
import io.tandem.agent.recovery.ProcessWatch;
import io.tandem.agent.recovery.RecoveryDecision;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.KillPolicy;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus.Reason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks that carry a {@code command} directly under the agent's supervision, the way Mesos's
 * command executor does, but without an executor process: sandbox, own process group, exit code
 * turned into TASK_FINISHED / TASK_FAILED / TASK_KILLED.
 *
 * <p>Owned by the agent loop thread; sandbox creation and process start run on the launch pool
 * ({@link ContainedProcesses#launch}) and post their outcome back through {@code loop}.
 */
final class CommandTasks {
    private static final Logger log = LoggerFactory.getLogger(CommandTasks.class);
    /** How often a re-attached task's process is looked at: one read of /proc/<pid>/stat. */
    private static final Duration WATCH_INTERVAL = Duration.ofMillis(250);

    private final Executor loop;
    private final TaskTable tasks;
    private final ContainedProcesses contained;
    private final Sandboxes sandboxes;
    private final Duration defaultGracePeriod;
    private final Supplier<AgentID> agentId;
    private final Containment containment;
    /** Null when nothing is checkpointed: then tasks run without their supervisor shell. */
    private final CheckpointWriter checkpoints;
    private final TaskHealth health;

    /** The isolation every command task gets, and how its resources become limits. */
    record Containment(Isolation isolation, LimitPolicy limitPolicy) {}

    CommandTasks(Executor loop, TaskTable tasks, ProcessLauncher launcher, Sandboxes sandboxes,
                 Duration defaultGracePeriod, Supplier<AgentID> agentId, Containment containment,
                 CheckpointWriter checkpoints, Timers timers) {
        this.containment = containment;
        this.checkpoints = checkpoints;
        this.loop = loop;
        this.tasks = tasks;
        this.contained = new ContainedProcesses(launcher, containment.isolation());
        this.sandboxes = sandboxes;
        this.defaultGracePeriod = defaultGracePeriod;
        this.agentId = agentId;
        this.health = new TaskHealth(loop, timers, tasks, containment.isolation(), (task, why) -> kill(task, null));
    }

    /** Starts {@code task}, already in the table: TASK_STARTING now, TASK_RUNNING once the process runs. */
    void launch(TaskRecord task) {
        Optional<String> invalidCheck = task.task.hasHealthCheck()
                ? HealthCheckValidation.problem(task.task.getHealthCheck()) : Optional.empty();
        if (invalidCheck.isPresent()) {
            tasks.agentUpdate(task, TaskState.TASK_ERROR, Reason.REASON_TASK_INVALID,
                    "Task's health check is invalid: " + invalidCheck.get());
            task.ended.complete(null);
            return;
        }
        LaunchSpec spec;
        Limits limits;
        task.sandbox = sandboxes.forTask(task.key.frameworkId().getValue(), task.key.taskId().getValue());
        try {
            spec = new LaunchSpec(CommandLines.argv(task.task.getCommand()), environment(task), task.sandbox);
            limits = containment.limitPolicy().forTask(task.task);
        } catch (IllegalArgumentException e) {
            tasks.agentUpdate(task, TaskState.TASK_FAILED, Reason.REASON_CONTAINER_LAUNCH_FAILED,
                    "Failed to launch the command: " + e.getMessage());
            task.ended.complete(null);
            return;
        }
        tasks.agentUpdate(task, TaskState.TASK_STARTING, null, null);
        String containerName = containerName(task);
        List<CommandInfo.URI> uris = task.task.getCommand().getUrisList();
        contained.launch(containerName, limits, spec, user(task), !uris.isEmpty(), () -> {
            sandboxes.prepare(spec.sandbox(), uris);
            return statusFile(task);
        }).whenComplete((started, failure) -> {
            if (failure == null) {
                try {
                    checkpointProcess(task, started, containerName);
                } catch (RuntimeException e) {
                    log.warn("{}: cannot checkpoint its process: {}", task, e.toString());
                }
                loop.execute(() -> started(task, started));
            } else {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                loop.execute(() -> failedToStart(task, cause));
            }
        });
    }

    /**
     * With a checkpoint, the task's supervisor records its exit status ({@link ExitStatusFile}) in
     * its framework's {@code exits/} directory of the checkpoint (made here; blocking I/O); null without one.
     */
    private Path statusFile(TaskRecord task) throws IOException {
        if (checkpoints == null) {
            return null;
        }
        Path exitFile = checkpoints.layout().exit(task.key);
        Files.createDirectories(exitFile.getParent());
        Files.deleteIfExists(exitFile);
        return exitFile;
    }

    private void checkpointProcess(TaskRecord task, ContainedProcesses.Started started, String containerName) {
        if (checkpoints != null) {
            ProcessStamp.of(started.process().pid()).ifPresent(stamp ->
                    checkpoints.process(task.key, stamp, started.container() == null ? null : containerName));
        }
    }

    /**
     * Watches again a task an earlier run of the agent started, which still runs as {@code stamp}:
     * its end is reported as if this agent had started it, from the status its supervisor shell
     * recorded ({@code TASK_FAILED} when nothing was recorded and the agent did not kill it).
     */
    void reattach(TaskRecord task, ProcessStamp stamp, String containerName) {
        Optional<ProcessHandle> handle = ProcessHandle.of(stamp.pid());
        CompletableFuture<Optional<ExitStatus>> watched = handle.isEmpty()
                ? CompletableFuture.completedFuture(Optional.empty())
                : ProcessWatch.until(stamp, checkpoints.layout().exit(task.key), WATCH_INTERVAL);
        Container container = contained.recoveredContainer(containerName);
        if (handle.isEmpty()) {
            task.ended.complete(null);
            tasks.agentUpdate(task, TaskState.TASK_FAILED, Reason.REASON_AGENT_RESTARTED, RecoveryDecision.NOT_RECORDED);
            return;
        }
        // Unrecorded means the shell was SIGKILLed with its group; the JDK would have said the same.
        ProcessGroup process = new ProcessGroup(handle.get(), watched.thenApply(e -> e.orElse(new ExitStatus(137))));
        task.process = process;
        log.info("{} re-attached: its supervisor shell {} still runs", task, stamp.pid());
        if (task.state() == TaskState.TASK_RUNNING && task.sandbox != null) {
            health.start(task, environment(task));
        }
        contained.ended(new ContainedProcesses.Started(process, container)).thenAccept(ended -> loop.execute(() -> {
            if (watched.join().isPresent() || task.killRequested) {
                exited(task, ended.exit(), ended.limitation());
            } else {
                task.ended.complete(null);
                tasks.agentUpdate(task, TaskState.TASK_FAILED, Reason.REASON_AGENT_RESTARTED,
                        RecoveryDecision.NOT_RECORDED);
            }
        }));
    }

    /** {@code <agent>/<framework>.<task>}: unique on the agent, readable in /sys/fs/cgroup. */
    private String containerName(TaskRecord task) {
        AgentID agent = agentId.get();
        return (agent == null ? "agent" : agent.getValue()) + "/"
                + task.key.frameworkId().getValue() + "." + task.key.taskId().getValue();
    }

    /**
     * Kills {@code task}: TASK_KILLING first for frameworks that understand it, then SIGTERM to its
     * process group and SIGKILL after the grace period ({@code override}, else the task's kill
     * policy, else the agent default). A second kill may shorten the grace period.
     */
    void kill(TaskRecord task, KillPolicy override) {
        if (task.isTerminal()) {
            return;
        }
        task.killRequested = true;
        health.stop(task);
        if (task.process == null) {
            return; // still launching; started() kills it
        }
        if (supportsKilling(task.framework) && task.state() != TaskState.TASK_KILLING) {
            tasks.agentUpdate(task, TaskState.TASK_KILLING, null, null);
        }
        task.process.terminate(gracePeriod(task, override));
    }

    private void started(TaskRecord task, ContainedProcesses.Started started) {
        ProcessGroup process = started.process();
        task.process = process;
        task.container = started.container();
        log.debug("{} started as process group {}", task, process.pid());
        contained.ended(started).thenAccept(ended -> loop.execute(() -> exited(task, ended.exit(), ended.limitation())));
        if (task.killRequested) {
            process.terminate(gracePeriod(task, null));
        } else {
            tasks.agentUpdate(task, TaskState.TASK_RUNNING, null, null);
            health.start(task, environment(task));
        }
    }

    private void failedToStart(TaskRecord task, Throwable e) {
        log.debug("{} failed to start", task, e);
        task.ended.complete(null);
        sandboxes.released(task.sandbox);
        if (task.killRequested) {
            tasks.agentUpdate(task, TaskState.TASK_KILLED, Reason.REASON_TASK_KILLED_DURING_LAUNCH,
                    "Task was killed before it started");
        } else {
            // A fetch failure too, as in Mesos (it has no reason of its own): "Failed to fetch '<uri>': ...",
            // with Tandem's REASON_FETCHER_FAILED as a label (TaskStatuses).
            tasks.agentUpdate(task, TaskState.TASK_FAILED, Reason.REASON_CONTAINER_LAUNCH_FAILED, e.getMessage());
        }
    }

    private void exited(TaskRecord task, ExitStatus exit, Optional<Limitation> limitation) {
        task.ended.complete(null);
        sandboxes.released(task.sandbox);
        health.stop(task);
        String message = exit.describe("Command");
        if (task.killedAsUnhealthy != null) {
            // As Mesos's command executor: killed, and marked unhealthy upon termination.
            tasks.agentUpdate(task, TaskState.TASK_KILLED, null, task.killedAsUnhealthy + " (" + message + ")", false);
        } else if (task.killRequested) {
            tasks.agentUpdate(task, TaskState.TASK_KILLED, null, message);
        } else if (limitation.isPresent()) {
            log.info("{} hit a limit: {}", task, limitation.get().message());
            tasks.agentUpdate(task, TaskState.TASK_FAILED, limitation.get().reason(), limitation.get().message());
        } else if (exit.succeeded()) {
            tasks.agentUpdate(task, TaskState.TASK_FINISHED, null, message);
        } else {
            tasks.agentUpdate(task, TaskState.TASK_FAILED, Reason.REASON_COMMAND_EXECUTOR_FAILED, message);
        }
    }

    /** Whom the task runs as when the agent switches users: CommandInfo.user, else FrameworkInfo.user. */
    static String user(TaskRecord task) {
        return task.task.getCommand().hasUser() ? task.task.getCommand().getUser() : task.framework.getUser();
    }

    private Map<String, String> environment(TaskRecord task) {
        Map<String, String> environment = new LinkedHashMap<>(CommandLines.environment(task.task.getCommand()));
        environment.put("MESOS_SANDBOX", task.sandbox.toString());
        environment.put("MESOS_DIRECTORY", task.sandbox.toString());
        environment.put("MESOS_TASK_ID", task.key.taskId().getValue());
        environment.put("MESOS_FRAMEWORK_ID", task.key.frameworkId().getValue());
        AgentID agent = agentId.get();
        if (agent != null) {
            environment.put("MESOS_AGENT_ID", agent.getValue());
            environment.put("MESOS_SLAVE_ID", agent.getValue());
        }
        return environment;
    }

    private Duration gracePeriod(TaskRecord task, KillPolicy override) {
        if (override != null && override.hasGracePeriod()) {
            return Duration.ofNanos(override.getGracePeriod().getNanoseconds());
        }
        if (task.task.hasKillPolicy() && task.task.getKillPolicy().hasGracePeriod()) {
            return Duration.ofNanos(task.task.getKillPolicy().getGracePeriod().getNanoseconds());
        }
        return defaultGracePeriod;
    }

    static boolean supportsKilling(FrameworkInfo framework) {
        return framework.getCapabilitiesList().stream()
                .anyMatch(c -> c.getType() == FrameworkInfo.Capability.Type.TASK_KILLING_STATE);
    }
}
