package io.tandem.agent;

import io.tandem.agent.loop.Timers;
import io.tandem.agent.isolation.Isolation;
import io.tandem.agent.isolation.LimitPolicy;
import io.tandem.agent.process.ProcessLauncher;
import io.tandem.agent.process.Sandboxes;
import io.tandem.agent.recovery.CheckpointWriter;
import io.tandem.agent.recovery.RecoveredExecutor;
import io.tandem.agent.recovery.RecoveredTask;
import io.tandem.agent.recovery.Recovery;
import io.tandem.agent.recovery.RecoveryDecision;
import io.tandem.agent.recovery.TaskCheckpoint;
import io.tandem.agent.status.StatusUpdateQueue;
import io.tandem.agent.status.UpdateJournal;
import io.tandem.agent.status.TaskKey;
import io.tandem.api.ResourceMapping;
import io.tandem.api.agent.AgentCall;
import io.tandem.api.agent.AgentEvent;
import io.tandem.model.Resources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.AgentInfo;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.Protos.TaskStatus.Reason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out what the master says (launch, kill, acknowledge, reconcile, shut down a framework)
 * through {@link CommandTasks} and {@link ExecutorSupervisor}, keeps the frameworks it runs tasks
 * for, and sends the periodic report.
 *
 * <p>Owned by the agent loop thread: every method must be called there.
 */
final class Supervisor {
    private static final Logger log = LoggerFactory.getLogger(Supervisor.class);

    /** Timings of the agent's supervision; see {@link AgentConfig} for their meaning. */
    record Settings(Duration defaultKillGracePeriod, Duration updateRetryMin, Duration updateRetryMax,
                    ExecutorSupervisor.Timing executorTiming, Isolation isolation, LimitPolicy limitPolicy) {
        /** Without isolation: command tasks run as plain processes. */
        Settings(Duration defaultKillGracePeriod, Duration updateRetryMin, Duration updateRetryMax,
                 ExecutorSupervisor.Timing executorTiming) {
            this(defaultKillGracePeriod, updateRetryMin, updateRetryMax, executorTiming, Isolation.none(),
                    LimitPolicy.none());
        }
    }

    private final Timers timers;
    private final CheckpointWriter checkpoints;
    private final Sandboxes sandboxes;
    private final MasterChannel master;
    private final AgentInfo baseInfo;
    private final Map<FrameworkID, FrameworkInfo> frameworks = new LinkedHashMap<>();
    private final Set<FrameworkID> shuttingDown = new HashSet<>();
    private final StatusUpdateQueue updates;
    private final TaskTable tasks;
    private final CommandTasks commands;
    private final ExecutorSupervisor executors;
    private final ContainerUsage usage;
    private AgentID agentId;
    private boolean connected;
    /** Set by {@link #shutdownAll}: the agent is stopping, and launches that still arrive are dropped. */
    private boolean stopping;
    private Timers.Timer reportTimer;

    Supervisor(Executor loop, Timers timers, MasterChannel master, AgentInfo baseInfo, ProcessLauncher launcher,
               Sandboxes sandboxes, Settings settings, TaskStatuses statuses, String agentEndpoint) {
        this(loop, timers, master, baseInfo, launcher, sandboxes, settings, statuses, agentEndpoint, null);
    }

    /** {@code checkpoints}: where tasks and their updates are kept for a restart; null for nowhere. */
    Supervisor(Executor loop, Timers timers, MasterChannel master, AgentInfo baseInfo, ProcessLauncher launcher,
               Sandboxes sandboxes, Settings settings, TaskStatuses statuses, String agentEndpoint,
               CheckpointWriter checkpoints) {
        this.checkpoints = checkpoints;
        this.sandboxes = sandboxes;
        this.timers = timers;
        this.master = master;
        this.baseInfo = baseInfo;
        this.agentId = baseInfo.hasId() ? baseInfo.getId() : null;
        this.updates = new StatusUpdateQueue((framework, status) -> master.send(new AgentCall.Update(status, framework)),
                checkpoints == null ? UpdateJournal.NONE : checkpoints, timers, settings.updateRetryMin(),
                settings.updateRetryMax());
        this.tasks = new TaskTable(updates, statuses, this::agentId,
                task -> forgetFrameworkIfDone(task.key.frameworkId()));
        this.commands = new CommandTasks(loop, tasks, launcher, sandboxes, settings.defaultKillGracePeriod(),
                this::agentId, new CommandTasks.Containment(settings.isolation(), settings.limitPolicy()), checkpoints,
                timers);
        this.usage = new ContainerUsage(settings.isolation(), statuses.clock());
        this.executors = new ExecutorSupervisor(loop, timers, tasks,
                new ContainedProcesses(launcher, settings.isolation()), settings.limitPolicy(), sandboxes, master,
                this::agentInfo,
                agentEndpoint, settings.executorTiming(), this::forgetFrameworkIfDone, new ExecutorCheckpoints(checkpoints));
    }

    AgentID agentId() {
        return agentId;
    }

    /** The agent's info as the master and executors see it, with its id once known. */
    AgentInfo agentInfo() {
        return agentId == null ? baseInfo : baseInfo.toBuilder().setId(agentId).build();
    }

    TaskTable tasks() {
        return tasks;
    }

    ExecutorSupervisor executors() {
        return executors;
    }

    Map<FrameworkID, FrameworkInfo> frameworks() {
        return Map.copyOf(frameworks);
    }

    void handle(AgentEvent event) {
        switch (event) {
            case AgentEvent.Subscribed s -> log.debug("SUBSCRIBED handled by the connection");
            case AgentEvent.Launch launch -> launch(launch.framework(), launch.task());
            case AgentEvent.Kill kill -> kill(kill);
            case AgentEvent.Acknowledge ack -> acknowledge(ack);
            case AgentEvent.Message message ->
                    executors.sessions().frameworkMessage(message.frameworkId(), message.executorId(), message.data());
            case AgentEvent.ShutdownFramework shutdown -> shutdownFramework(shutdown.frameworkId());
            case AgentEvent.Reconcile reconcile -> reconcile(reconcile);
            case AgentEvent.Heartbeat heartbeat -> { }
        }
    }

    /** The master accepted our SUBSCRIBE: remember the id, resend pending updates, start reporting. */
    void connected(AgentID id, Duration reportInterval) {
        if (agentId != null && !agentId.equals(id)) {
            log.warn("the master gave this agent a new id {} (was {})", id.getValue(), agentId.getValue());
        }
        agentId = id;
        connected = true;
        updates.connected();
        executors.connected();
        if (reportTimer != null) {
            reportTimer.cancel();
        }
        report(reportInterval);
    }

    void disconnected() {
        connected = false;
        updates.disconnected();
        executors.disconnected();
        if (reportTimer != null) {
            reportTimer.cancel();
            reportTimer = null;
        }
    }

    /** What the agent tells the master when it (re-)subscribes. */
    AgentCall.Subscribe subscribeCall() {
        List<AgentCall.KnownTask> known = new ArrayList<>();
        Set<FrameworkID> used = new HashSet<>();
        for (TaskRecord task : tasks.all()) {
            known.add(new AgentCall.KnownTask(task.task, task.key.frameworkId(), tasks.reportedState(task)));
            used.add(task.key.frameworkId());
        }
        List<ExecutorInfo> executorInfos = new ArrayList<>();
        for (ExecutorRecord executor : executors.all()) {
            executorInfos.add(executor.info.toBuilder().setFrameworkId(executor.key.frameworkId()).build());
            used.add(executor.key.frameworkId());
        }
        List<FrameworkInfo> frameworkInfos = frameworks.values().stream().filter(f -> used.contains(f.getId())).toList();
        return new AgentCall.Subscribe(agentInfo(), known, frameworkInfos, executorInfos);
    }

    /** Resources held by unfinished tasks and live executors, summed. */
    List<Resource> used() {
        Resources sum = Resources.empty();
        for (TaskRecord task : tasks.all()) {
            if (!task.isTerminal()) {
                sum = plus(sum, task.task.getResourcesList(), task.toString());
            }
        }
        for (ExecutorRecord executor : executors.all()) {
            sum = plus(sum, executor.info.getResourcesList(), executor.toString());
        }
        return ResourceMapping.toMesos(sum, null);
    }

    /** Kills everything (agent shutdown); completes when all tasks' and executors' processes are gone. */
    CompletableFuture<Void> shutdownAll() {
        stopping = true;
        List<CompletableFuture<?>> gone = new ArrayList<>();
        for (TaskRecord task : tasks.all()) {
            if (task.isCommandTask() && !task.isTerminal()) {
                commands.kill(task, null);
                gone.add(task.ended);
            }
        }
        gone.addAll(executors.shutdownAll("Agent is shutting down"));
        return CompletableFuture.allOf(gone.toArray(CompletableFuture[]::new));
    }

    /**
     * Takes over the executors and tasks an earlier run of the agent left (see {@code AgentRecovery}):
     * each task is known again with its latest state and unacknowledged updates, and is re-attached to
     * (a command task's process; an executor's task waits for its executor to re-subscribe), or given
     * the terminal update decided for it. Call before the agent first subscribes.
     */
    void recover(Recovery recovery) {
        for (RecoveredExecutor executor : recovery.executors()) {
            frameworks.put(executor.checkpoint().framework().getId(), executor.checkpoint().framework());
            executors.recover(executor, checkpoints.layout());
        }
        for (RecoveredTask one : recovery.tasks()) {
            TaskCheckpoint checkpoint = one.checkpoint();
            if (one.decision() instanceof RecoveryDecision.Forget) {
                updates.forgetTask(checkpoint.key());
                continue;
            }
            frameworks.put(checkpoint.framework().getId(), checkpoint.framework());
            TaskRecord task = new TaskRecord(checkpoint.framework(), checkpoint.task());
            task.latest = checkpoint.latest().orElse(null);
            task.acknowledgedState = checkpoint.acknowledgedState();
            if (task.isCommandTask()) {
                task.sandbox = sandboxes.forTask(task.key.frameworkId().getValue(), task.key.taskId().getValue());
            }
            tasks.restore(task, checkpoint.unacknowledged());
            switch (one.decision()) {
                case RecoveryDecision.Reattach reattach -> {
                    if (task.sandbox != null) {
                        sandboxes.reattached(task.sandbox);
                    }
                    commands.reattach(task, reattach.process(), checkpoint.container().orElse(null));
                }
                case RecoveryDecision.AwaitExecutor await -> executors.adopt(task, checkpoint);
                case RecoveryDecision.Kill kill -> report(task, kill.report());
                case RecoveryDecision.Report report -> report(task, report);
                case RecoveryDecision.Resend resend -> task.ended.complete(null);
                case RecoveryDecision.Forget forget -> { }
            }
        }
    }

    private void report(TaskRecord task, RecoveryDecision.Report report) {
        task.ended.complete(null);
        tasks.agentUpdate(task, report.state(), report.reason(), report.message());
    }

    private void launch(FrameworkInfo framework, TaskInfo info) {
        if (!framework.hasId()) {
            log.warn("dropping task '{}': its framework has no id", info.getTaskId().getValue());
            return;
        }
        TaskKey key = new TaskKey(framework.getId(), info.getTaskId());
        if (tasks.get(key) != null) {
            // Any update would be taken as news about the task already running under this id.
            log.warn("dropping launch of task {}: a task with that id already runs on this agent", key);
            return;
        }
        frameworks.put(framework.getId(), framework);
        TaskRecord task = new TaskRecord(framework, info);
        String invalid = LaunchChecks.invalid(framework, info);
        if (checkpoints != null && invalid == null) {
            checkpoints.task(framework, info); // before any of its updates: the writer keeps the order
        }
        tasks.add(task);
        if (invalid != null) {
            tasks.agentUpdate(task, TaskState.TASK_ERROR, Reason.REASON_TASK_INVALID, invalid);
        } else if (shuttingDown.contains(framework.getId())) {
            tasks.agentUpdate(task, TaskState.TASK_DROPPED, Reason.REASON_FRAMEWORK_REMOVED,
                    "Framework is shutting down on this agent");
        } else if (stopping) {
            tasks.agentUpdate(task, TaskState.TASK_DROPPED, Reason.REASON_AGENT_RESTARTED,
                    "Agent is shutting down");
        } else if (task.isCommandTask()) {
            log.info("launching {} ({})", task, info.getName());
            commands.launch(task);
        } else {
            log.info("launching {} ({}) on executor '{}'", task, info.getName(), task.executorId.getValue());
            executors.launch(task);
        }
    }

    private void kill(AgentEvent.Kill kill) {
        TaskRecord task = tasks.get(new TaskKey(kill.frameworkId(), kill.taskId()));
        if (task == null) {
            log.info("ignoring kill of unknown task {}/{}", kill.frameworkId().getValue(), kill.taskId().getValue());
            return;
        }
        log.info("killing {}", task);
        if (task.isCommandTask()) {
            commands.kill(task, kill.killPolicy());
        } else {
            executors.kill(task, kill.killPolicy());
        }
    }

    private void acknowledge(AgentEvent.Acknowledge ack) {
        TaskRecord task = tasks.get(new TaskKey(ack.frameworkId(), ack.taskId()));
        tasks.acknowledge(ack.frameworkId(), ack.taskId(), ack.uuid()).ifPresent(status -> {
            if (task != null && status.getSource() == TaskStatus.Source.SOURCE_EXECUTOR) {
                executors.sessions().acknowledged(task, status);
            }
        });
    }

    private void shutdownFramework(FrameworkID frameworkId) {
        log.info("shutting down framework {}", frameworkId.getValue());
        shuttingDown.add(frameworkId);
        for (TaskRecord task : tasks.ofFramework(frameworkId)) {
            if (task.isCommandTask()) {
                commands.kill(task, null);
            }
        }
        executors.shutdownFramework(frameworkId, "Framework shut down");
        forgetFrameworkIfDone(frameworkId);
    }

    /**
     * Once a framework that is shutting down has nothing left running, forget it with its tasks and
     * their pending updates: the master has removed it and will acknowledge none of them.
     */
    void forgetFrameworkIfDone(FrameworkID frameworkId) {
        boolean running = tasks.ofFramework(frameworkId).stream().anyMatch(t -> !t.isTerminal())
                || executors.all().stream().anyMatch(e -> e.key.frameworkId().equals(frameworkId));
        if (shuttingDown.contains(frameworkId) && !running) {
            tasks.forgetFramework(frameworkId);
            frameworks.remove(frameworkId);
            shuttingDown.remove(frameworkId);
            log.info("forgot framework {}", frameworkId.getValue());
        }
    }

    private void reconcile(AgentEvent.Reconcile reconcile) {
        Set<String> wanted = new HashSet<>();
        reconcile.taskIds().forEach(id -> wanted.add(id.getValue()));
        for (TaskRecord task : tasks.ofFramework(reconcile.frameworkId())) {
            if (wanted.isEmpty() || wanted.contains(task.key.taskId().getValue())) {
                master.send(new AgentCall.Update(tasks.reconciliation(task), reconcile.frameworkId()));
            }
        }
    }

    private void report(Duration interval) {
        if (!connected) {
            return;
        }
        List<Resource> used = used();
        List<ContainerUsage.Running> running = ContainerUsage.running(tasks, executors.all());
        if (running.isEmpty()) {
            master.send(new AgentCall.Report(used));
        } else {
            Thread.ofVirtual().name("report-usage").start(() -> master.send(usage.report(used, running)));
        }
        reportTimer = timers.after(interval, () -> report(interval));
    }

    private static Resources plus(Resources sum, List<Resource> resources, String owner) {
        try {
            return sum.plus(ResourceMapping.fromMesos(resources));
        } catch (IllegalArgumentException e) {
            log.warn("leaving the resources of {} out of the report: {}", owner, e.getMessage());
            return sum;
        }
    }
}
