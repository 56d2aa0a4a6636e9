package io.tandem.agent;

import io.tandem.agent.ExecutorRecord.Phase;
import io.tandem.agent.loop.Timers;
import io.tandem.agent.isolation.LimitPolicy;
import io.tandem.agent.isolation.Limits;
import io.tandem.agent.process.CommandLines;
import io.tandem.agent.process.LaunchSpec;
import io.tandem.agent.process.ExitStatus;
import io.tandem.agent.process.ProcessGroup;
import io.tandem.agent.process.Sandboxes;
import io.tandem.agent.recovery.CheckpointLayout;
import io.tandem.agent.recovery.ExecutorCheckpoint;
import io.tandem.agent.recovery.ExecutorDecision;
import io.tandem.agent.recovery.RecoveredExecutor;
import io.tandem.agent.recovery.RecoveryDecision;
import io.tandem.agent.recovery.TaskCheckpoint;
import io.tandem.api.agent.AgentCall;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.mesos.v1.Protos.AgentInfo;
import org.apache.mesos.v1.Protos.ContainerID;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.KillPolicy;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus.Reason;
import org.apache.mesos.v1.executor.Protos.Call;
import org.apache.mesos.v1.executor.Protos.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts custom executors, speaks the Mesos v1 executor protocol with them (the HTTP side is
 * {@link ExecutorApi}) and ends their tasks when they exit.
 *
 * <p>Owned by the agent loop thread. Process start runs on a virtual thread and posts back.
 */
final class ExecutorSupervisor {
    private static final Logger log = LoggerFactory.getLogger(ExecutorSupervisor.class);

    /**
     * Timings the executor protocol needs.
     *
     * @param reregistrationTimeout how long an executor an earlier run of the agent started has to
     *     re-subscribe after a restart
     * @param recoveryTimeout how long an executor of a checkpointing framework keeps trying to
     *     re-subscribe to a restarting agent ({@code MESOS_RECOVERY_TIMEOUT})
     */
    record Timing(Duration registrationTimeout, Duration shutdownGracePeriod, Duration subscriptionBackoffMax,
                  Duration reregistrationTimeout, Duration recoveryTimeout) {
        static final Duration DEFAULT_REREGISTRATION_TIMEOUT = Duration.ofSeconds(2);
        static final Duration DEFAULT_RECOVERY_TIMEOUT = Duration.ofMinutes(15);

        Timing(Duration registrationTimeout, Duration shutdownGracePeriod, Duration subscriptionBackoffMax) {
            this(registrationTimeout, shutdownGracePeriod, subscriptionBackoffMax, DEFAULT_REREGISTRATION_TIMEOUT,
                    DEFAULT_RECOVERY_TIMEOUT);
        }
    }

    private final Map<ExecutorRecord.Key, ExecutorRecord> executors = new LinkedHashMap<>();
    private final Executor loop;
    private final Timers timers;
    private final TaskTable tasks;
    private final ContainedProcesses contained;
    private final LimitPolicy limitPolicy;
    private final Sandboxes sandboxes;
    private final MasterChannel master;
    private final Supplier<AgentInfo> agentInfo;
    private final String agentEndpoint;
    private final Timing timing;
    private final Consumer<FrameworkID> onExecutorGone;
    private final ExecutorCheckpoints checkpoints;
    private final ExecutorSessions sessions;
    /** EXECUTOR_EXITED calls kept while the master is not connected (recovered executors found gone). */
    private final List<AgentCall.ExecutorExited> unsentExits = new ArrayList<>();
    private boolean connected;

    ExecutorSupervisor(Executor loop, Timers timers, TaskTable tasks, ContainedProcesses contained,
                       LimitPolicy limitPolicy, Sandboxes sandboxes,
                       MasterChannel master, Supplier<AgentInfo> agentInfo, String agentEndpoint, Timing timing,
                       Consumer<FrameworkID> onExecutorGone, ExecutorCheckpoints checkpoints) {
        this.loop = loop;
        this.timers = timers;
        this.tasks = tasks;
        this.contained = contained;
        this.limitPolicy = limitPolicy;
        this.sandboxes = sandboxes;
        this.master = master;
        this.agentInfo = agentInfo;
        this.agentEndpoint = agentEndpoint;
        this.timing = timing;
        this.onExecutorGone = onExecutorGone;
        this.checkpoints = checkpoints;
        this.sessions = new ExecutorSessions(executors::get, tasks, master, agentInfo);
    }

    /** The executors' side of the protocol: their calls, and the events that are not about their lifecycle. */
    ExecutorSessions sessions() {
        return sessions;
    }

    Collection<ExecutorRecord> all() {
        return List.copyOf(executors.values());
    }

    /** Hands {@code task} to its executor, starting the executor first if it does not run yet. */
    void launch(TaskRecord task) {
        ExecutorRecord.Key key = new ExecutorRecord.Key(task.key.frameworkId(), task.executorId);
        ExecutorRecord executor = executors.get(key);
        if (executor != null && executor.isEnding()) {
            tasks.agentUpdate(task, TaskState.TASK_DROPPED, Reason.REASON_EXECUTOR_TERMINATED,
                    "Executor '" + task.executorId.getValue() + "' is shutting down");
            return;
        }
        if (executor == null) {
            executor = start(task);
            if (executor == null) {
                return;
            }
        }
        if (executor.phase == Phase.SUBSCRIBED && executor.stream != null) {
            executor.launched.put(task.key, task);
            executor.stream.send(ExecutorProtocol.launchEvent(task));
        } else {
            executor.queued.put(task.key, task);
        }
    }

    /**
     * Takes back an executor an earlier run of the agent started (see {@code AgentRecovery}): one that
     * still runs waits up to the re-registration timeout for it to re-subscribe, then is shut down; for
     * one that is gone, EXECUTOR_EXITED goes to the master once connected. Call before its tasks are
     * {@link #adopt}ed and before the agent subscribes.
     */
    void recover(RecoveredExecutor recovered, CheckpointLayout layout) {
        ExecutorCheckpoint checkpoint = recovered.checkpoint();
        ExecutorRecord executor = ExecutorReattachment.record(checkpoint, sandboxes);
        Optional<ProcessGroup> process = recovered.decision() instanceof ExecutorDecision.Reattach
                ? ExecutorReattachment.process(checkpoint, layout) : Optional.empty();
        if (process.isEmpty()) {
            checkpoints.forget(executor);
            exitedCall(executor.key, ExecutorReattachment.exit(checkpoint));
            return;
        }
        executors.put(executor.key, executor);
        sandboxes.reattached(executor.sandbox);
        executor.phase = Phase.RECOVERING;
        executor.process = process.get();
        ContainedProcesses.Started started = new ContainedProcesses.Started(process.get(),
                contained.recoveredContainer(checkpoint.container().orElse(null)));
        contained.ended(started).thenAccept(ended -> loop.execute(() -> exited(executor, ended)));
        log.info("{} still runs as process {}; it may re-subscribe", executor, process.get().pid());
    }

    /**
     * The executor API is listening: from now on each recovered executor has the re-registration
     * timeout to re-subscribe (counted from here, not from recovery: an agent that starts slowly must
     * not take the executors' time).
     */
    void listening() {
        for (ExecutorRecord executor : executors.values()) {
            if (executor.phase == Phase.RECOVERING && executor.registrationTimer == null) {
                executor.registrationTimer = timers.after(timing.reregistrationTimeout(),
                        () -> registrationTimedOut(executor));
                log.info("waiting {} ms for {} to re-subscribe", timing.reregistrationTimeout().toMillis(), executor);
            }
        }
    }

    /**
     * A recovered task of a recovered executor: the executor runs it. {@code checkpoint} tells which of
     * its updates the agent had and which were acknowledged, so a re-subscribing executor's resent
     * updates are neither taken twice nor left unanswered.
     */
    void adopt(TaskRecord task, TaskCheckpoint checkpoint) {
        ExecutorRecord executor = executors.get(new ExecutorRecord.Key(task.key.frameworkId(), task.executorId));
        if (executor == null) {
            // It died between recovery's look and now: as if recovery had found it dead.
            tasks.agentUpdate(task, TaskState.TASK_FAILED, Reason.REASON_EXECUTOR_TERMINATED,
                    "Executor exited while the agent was away");
            return;
        }
        executor.launched.put(task.key, task);
        checkpoint.updates().forEach(update -> executor.received.add(update.getUuid()));
        checkpoint.updates().stream().filter(update -> !checkpoint.unacknowledged().contains(update))
                .forEach(update -> executor.acknowledged.add(update.getUuid()));
    }

    private ExecutorRecord start(TaskRecord task) {
        String frameworkId = task.key.frameworkId().getValue();
        ExecutorRecord executor = new ExecutorRecord(task.framework, task.task.getExecutor(),
                ContainerID.newBuilder().setValue(UUID.randomUUID().toString()).build(),
                sandboxes.forExecutor(frameworkId, task.executorId.getValue()));
        LaunchSpec spec;
        Limits limits;
        try {
            spec = new LaunchSpec(CommandLines.argv(executor.info.getCommand()), ExecutorProtocol.environment(executor,
                    agentInfo.get(), agentEndpoint, shutdownGracePeriod(executor), timing), executor.sandbox);
            limits = limitPolicy.forExecutor(executor.info, task.task);
        } catch (IllegalArgumentException e) {
            tasks.agentUpdate(task, TaskState.TASK_FAILED, Reason.REASON_CONTAINER_LAUNCH_FAILED,
                    "Failed to launch executor '" + task.executorId.getValue() + "': " + e.getMessage());
            return null;
        }
        executors.put(executor.key, executor);
        executor.registrationTimer = timers.after(timing.registrationTimeout(), () -> registrationTimedOut(executor));
        log.info("starting {} in {}", executor, executor.sandbox);
        // "executor-<container id>" has no '.', so it never meets a task's "<framework>.<task>".
        String agent = agentInfo.get().hasId() ? agentInfo.get().getId().getValue() : "agent";
        String containerName = agent + "/executor-" + executor.containerId.getValue();
        String user = executor.info.getCommand().hasUser() ? executor.info.getCommand().getUser()
                : task.framework.getUser();
        Thread.ofVirtual().name("launch-" + executor.key).start(() -> {
            try {
                sandboxes.prepare(spec.sandbox(), executor.info.getCommand().getUrisList());
                ContainedProcesses.Started started = contained.start(containerName, limits, spec, user,
                        checkpoints.statusFile(executor));
                checkpoints.started(executor, started.process().pid(), started.container() == null ? null : containerName);
                loop.execute(() -> started(executor, started));
            } catch (IOException | RuntimeException e) {
                loop.execute(() -> failedToStart(executor, e.getMessage()));
            }
        });
        return executor;
    }

    private void started(ExecutorRecord executor, ContainedProcesses.Started started) {
        ProcessGroup process = started.process();
        executor.process = process;
        executor.container = started.container();
        contained.ended(started).thenAccept(ended -> loop.execute(() -> exited(executor, ended)));
        if (executor.phase == Phase.TERMINATING) {
            process.terminate(Duration.ZERO);
        } else if (executor.phase == Phase.LAUNCHING) {
            executor.phase = Phase.REGISTERING;
        }
    }

    private void failedToStart(ExecutorRecord executor, String message) {
        executor.terminationReason = Reason.REASON_CONTAINER_LAUNCH_FAILED;
        executor.terminationMessage = "Failed to launch executor '" + executor.key.executorId().getValue() + "': "
                + message;
        terminated(executor, "failed to start: " + message);
    }

    private void exited(ExecutorRecord executor, ContainedProcesses.Ended ended) {
        if (ended.limitation().isPresent() && executor.terminationReason == null) {
            executor.terminationReason = ended.limitation().get().reason();
            executor.terminationMessage = ended.limitation().get().message();
        }
        terminated(executor, ended.exit().describe("process"));
        checkpoints.forget(executor);
        // After the tasks' terminal updates, as in Mesos: the master frees the executor's resources
        // and tells the framework.
        exitedCall(executor.key, ended.exit());
    }

    private void exitedCall(ExecutorRecord.Key key, ExitStatus exit) {
        AgentCall.ExecutorExited call = new AgentCall.ExecutorExited(key.frameworkId(), key.executorId(),
                exit.waitStatus());
        if (connected) {
            master.send(call);
        } else {
            unsentExits.add(call);
        }
    }

    /** The master link is up: send what waited for it. */
    void connected() {
        connected = true;
        unsentExits.forEach(master::send);
        unsentExits.clear();
    }

    void disconnected() {
        connected = false;
    }

    /** The executor is gone: its unfinished tasks end as KILLED (when a kill was asked for) or FAILED. */
    private void terminated(ExecutorRecord executor, String how) {
        executor.phase = Phase.TERMINATED;
        if (executor.registrationTimer != null) {
            executor.registrationTimer.cancel();
        }
        if (executor.stream != null) {
            executor.stream.close();
        }
        executors.remove(executor.key);
        sandboxes.released(executor.sandbox);
        log.info("{} ended: {}", executor, how);
        Reason reason = executor.terminationReason != null ? executor.terminationReason : Reason.REASON_EXECUTOR_TERMINATED;
        String message = executor.terminationMessage != null ? executor.terminationMessage : "Executor " + how;
        for (TaskRecord task : executor.tasks().toList()) {
            if (!task.isTerminal()) {
                TaskState state = executor.terminationState != null ? executor.terminationState
                        : task.killRequested ? TaskState.TASK_KILLED : TaskState.TASK_FAILED;
                tasks.agentUpdate(task, state, reason, message);
            }
        }
        executor.gone.complete(null);
        onExecutorGone.accept(executor.key.frameworkId());
    }

    private void registrationTimedOut(ExecutorRecord executor) {
        if (executor.phase == Phase.LAUNCHING || executor.phase == Phase.REGISTERING) {
            shutdown(executor, Reason.REASON_EXECUTOR_REGISTRATION_TIMEOUT,
                    "Executor did not subscribe within " + timing.registrationTimeout().toMillis() + "ms");
        } else if (executor.phase == Phase.RECOVERING) {
            // As Mesos: the task was started but is now gone.
            executor.terminationState = RecoveryDecision.gone(executor.framework);
            shutdown(executor, Reason.REASON_EXECUTOR_REREGISTRATION_TIMEOUT, "Executor did not re-subscribe within "
                    + timing.reregistrationTimeout().toMillis() + "ms after the agent restarted");
        }
    }

    /**
     * Kills an executor's task: a queued task ends at once as TASK_KILLED (and an executor left
     * with nothing to run is shut down); a launched one gets a KILL event.
     */
    void kill(TaskRecord task, KillPolicy policy) {
        task.killRequested = true;
        ExecutorRecord executor = executors.get(new ExecutorRecord.Key(task.key.frameworkId(), task.executorId));
        if (executor == null || task.isTerminal()) {
            return;
        }
        if (executor.queued.remove(task.key) != null) {
            tasks.agentUpdate(task, TaskState.TASK_KILLED, Reason.REASON_TASK_KILLED_DURING_LAUNCH,
                    "Task was killed before it was delivered to its executor");
            if (!executor.hasLiveTasks() && executor.phase != Phase.SUBSCRIBED) {
                shutdown(executor, Reason.REASON_EXECUTOR_TERMINATED, "Executor has no tasks left to run");
            }
        } else if (executor.stream != null) {
            Event.Kill.Builder kill = Event.Kill.newBuilder().setTaskId(task.key.taskId());
            if (policy != null && policy.hasGracePeriod()) {
                kill.setKillPolicy(policy);
            }
            executor.stream.send(Event.newBuilder().setType(Event.Type.KILL).setKill(kill).build());
        } else {
            log.warn("cannot deliver kill of {}: {} is not connected", task, executor);
        }
    }

    /** Shuts down every executor of a framework; their unfinished tasks end as TASK_KILLED. */
    void shutdownFramework(FrameworkID frameworkId, String why) {
        for (ExecutorRecord executor : List.copyOf(executors.values())) {
            if (executor.key.frameworkId().equals(frameworkId)) {
                executor.tasks().forEach(t -> t.killRequested = true);
                shutdown(executor, Reason.REASON_EXECUTOR_TERMINATED, why);
            }
        }
    }

    /**
     * SHUTDOWN to a connected executor, then SIGKILL to its process group after its shutdown grace
     * period; an executor that is not connected gets SIGTERM, then SIGKILL after the grace period.
     */
    void shutdown(ExecutorRecord executor, Reason reason, String message) {
        if (executor.isEnding()) {
            return;
        }
        executor.phase = Phase.TERMINATING;
        executor.terminationReason = reason;
        executor.terminationMessage = message;
        Duration grace = shutdownGracePeriod(executor);
        log.info("shutting down {}: {}", executor, message);
        if (executor.stream != null) {
            executor.stream.send(Event.newBuilder().setType(Event.Type.SHUTDOWN).build());
            timers.after(grace, () -> {
                if (executor.process != null) {
                    executor.process.kill();
                }
            });
        } else if (executor.process != null) {
            executor.process.terminate(grace);
        }
    }

    /** Every running executor's "gone" future, for a caller that waits for them all to exit. */
    List<CompletableFuture<Void>> shutdownAll(String why) {
        List<CompletableFuture<Void>> gone = new ArrayList<>();
        for (ExecutorRecord executor : List.copyOf(executors.values())) {
            executor.tasks().forEach(t -> t.killRequested = true);
            shutdown(executor, Reason.REASON_EXECUTOR_TERMINATED, why);
            gone.add(executor.gone);
        }
        return gone;
    }

    private Duration shutdownGracePeriod(ExecutorRecord executor) {
        return executor.info.hasShutdownGracePeriod()
                ? Duration.ofNanos(executor.info.getShutdownGracePeriod().getNanoseconds())
                : timing.shutdownGracePeriod();
    }
}
