package io.tandem.agent;

import com.google.protobuf.ByteString;
import io.tandem.agent.ExecutorRecord.Phase;
import io.tandem.agent.loop.Timers;
import io.tandem.agent.isolation.LimitPolicy;
import io.tandem.agent.isolation.Limits;
import io.tandem.agent.process.CommandLines;
import io.tandem.agent.process.LaunchSpec;
import io.tandem.agent.process.ProcessGroup;
import io.tandem.agent.process.Sandboxes;
import io.tandem.agent.status.TaskKey;
import io.tandem.api.agent.AgentCall;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.mesos.v1.Protos.AgentInfo;
import org.apache.mesos.v1.Protos.ContainerID;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.KillPolicy;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
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

    /** Timings the executor protocol needs. */
    record Timing(Duration registrationTimeout, Duration shutdownGracePeriod, Duration subscriptionBackoffMax) {}

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

    ExecutorSupervisor(Executor loop, Timers timers, TaskTable tasks, ContainedProcesses contained,
                       LimitPolicy limitPolicy, Sandboxes sandboxes,
                       MasterChannel master, Supplier<AgentInfo> agentInfo, String agentEndpoint, Timing timing,
                       Consumer<FrameworkID> onExecutorGone) {
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
            executor.stream.send(launchEvent(task));
        } else {
            executor.queued.put(task.key, task);
        }
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
                    agentInfo.get(), agentEndpoint, shutdownGracePeriod(executor), timing.subscriptionBackoffMax()),
                    executor.sandbox);
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
                ContainedProcesses.Started started = contained.start(containerName, limits, spec, user);
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
        // After the tasks' terminal updates, as in Mesos: the master frees the executor's resources
        // and tells the framework.
        master.send(new AgentCall.ExecutorExited(executor.key.frameworkId(), executor.key.executorId(),
                ended.exit().waitStatus()));
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
                tasks.agentUpdate(task, task.killRequested ? TaskState.TASK_KILLED : TaskState.TASK_FAILED,
                        reason, message);
            }
        }
        executor.gone.complete(null);
        onExecutorGone.accept(executor.key.frameworkId());
    }

    private void registrationTimedOut(ExecutorRecord executor) {
        if (executor.phase == Phase.LAUNCHING || executor.phase == Phase.REGISTERING) {
            shutdown(executor, Reason.REASON_EXECUTOR_REGISTRATION_TIMEOUT,
                    "Executor did not subscribe within " + timing.registrationTimeout().toMillis() + "ms");
        }
    }

    /**
     * A SUBSCRIBE from the executor process. Returns why it is refused, or null when {@code stream}
     * now carries the executor's events: SUBSCRIBED, then a LAUNCH per queued task.
     */
    String subscribe(Call call, ExecutorStream stream) {
        ExecutorRecord executor = executors.get(keyOf(call));
        if (executor == null || executor.isEnding()) {
            return notRunning(call);
        }
        if (executor.stream != null) {
            executor.stream.close(); // a reconnecting executor replaces its old connection
        }
        executor.stream = stream;
        executor.phase = Phase.SUBSCRIBED;
        executor.registrationTimer.cancel();
        log.info("{} subscribed", executor);
        stream.send(Event.newBuilder().setType(Event.Type.SUBSCRIBED)
                .setSubscribed(Event.Subscribed.newBuilder()
                        .setExecutorInfo(executor.info)
                        .setFrameworkInfo(executor.framework)
                        .setAgentInfo(agentInfo.get())
                        .setContainerId(executor.containerId))
                .build());
        for (TaskRecord task : List.copyOf(executor.queued.values())) {
            executor.queued.remove(task.key);
            executor.launched.put(task.key, task);
            stream.send(launchEvent(task));
        }
        return null;
    }

    /** An UPDATE from the executor; returns why it is refused, or null when accepted. */
    String update(Call call) {
        ExecutorRecord executor = executors.get(keyOf(call));
        if (executor == null) {
            return notRunning(call);
        }
        String invalid = ExecutorProtocol.invalidUpdate(call);
        if (invalid != null) {
            return invalid;
        }
        TaskStatus status = call.getUpdate().getStatus();
        TaskRecord task = executor.launched.get(new TaskKey(executor.key.frameworkId(),
                status.getTaskId()));
        if (task == null) {
            log.warn("{} sent {} for task '{}', which it does not run; dropped", executor, status.getState(),
                    status.getTaskId().getValue());
            return null;
        }
        tasks.executorUpdate(task, status);
        return null;
    }

    /** A MESSAGE from the executor, passed on to its framework's scheduler. */
    String message(Call call) {
        if (!executors.containsKey(keyOf(call))) {
            return notRunning(call);
        }
        if (!call.hasMessage()) {
            return "Expecting 'message' to be present";
        }
        master.send(new AgentCall.Message(call.getFrameworkId(), call.getExecutorId(), call.getMessage().getData()));
        return null;
    }

    /** The HTTP connection carrying {@code stream} ended; the executor may subscribe again. */
    void streamEnded(Call call, ExecutorStream stream) {
        ExecutorRecord executor = executors.get(keyOf(call));
        if (executor != null && executor.stream == stream) {
            executor.stream = null;
            log.info("{} disconnected", executor);
        }
    }

    /** The framework acknowledged an update the executor sent: tell the executor. */
    void acknowledged(TaskRecord task, TaskStatus status) {
        ExecutorRecord executor = executors.get(new ExecutorRecord.Key(task.key.frameworkId(), task.executorId));
        if (executor == null) {
            return;
        }
        if (executor.stream != null) {
            executor.stream.send(Event.newBuilder().setType(Event.Type.ACKNOWLEDGED)
                    .setAcknowledged(Event.Acknowledged.newBuilder().setTaskId(status.getTaskId())
                            .setUuid(status.getUuid()))
                    .build());
        }
        if (tasks.get(task.key) == null) {
            executor.launched.remove(task.key); // forgotten after its terminal acknowledgement
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

    /** A framework's message for one of its executors; dropped (as Mesos does) if it is not connected. */
    void frameworkMessage(FrameworkID frameworkId, ExecutorID executorId, ByteString data) {
        ExecutorRecord executor = executors.get(new ExecutorRecord.Key(frameworkId, executorId));
        if (executor == null || executor.stream == null) {
            log.warn("dropping message for executor {}/{}: not connected", frameworkId.getValue(), executorId.getValue());
            return;
        }
        executor.stream.send(Event.newBuilder().setType(Event.Type.MESSAGE)
                .setMessage(Event.Message.newBuilder().setData(data)).build());
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

    private static Event launchEvent(TaskRecord task) {
        return Event.newBuilder().setType(Event.Type.LAUNCH)
                .setLaunch(Event.Launch.newBuilder().setTask(task.task)).build();
    }

    private static ExecutorRecord.Key keyOf(Call call) {
        return new ExecutorRecord.Key(call.getFrameworkId(), call.getExecutorId());
    }

    private static String notRunning(Call call) {
        return "Executor '" + call.getExecutorId().getValue() + "' of framework '" + call.getFrameworkId().getValue()
                + "' is not running on this agent";
    }
}
