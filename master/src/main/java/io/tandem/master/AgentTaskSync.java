package io.tandem.master;

import io.tandem.api.ResourceMapping;
import io.tandem.api.agent.AgentCall;
import io.tandem.api.agent.AgentEvent;
import io.tandem.model.ExecutorId;
import io.tandem.model.FrameworkId;
import io.tandem.model.Resources;
import io.tandem.model.TaskState;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the master's tasks on an agent in line with what the agent reports when it (re-)subscribes:
 *
 * <ul>
 *   <li>a task the master knows and the agent does not, not yet terminal: TASK_LOST;
 *   <li>a task both know that was unreachable, of a framework without PARTITION_AWARE (told
 *       TASK_LOST): killed on the agent, and not reported running again;
 *   <li>a task both know, in another state (say TASK_RUNNING after TASK_UNREACHABLE): the agent's
 *       state, reported to the framework;
 *   <li>a task only the agent knows (the master restarted): adopted, with its framework recovered
 *       as a disconnected framework if the master does not know it either.
 * </ul>
 *
 * Resources are only booked here (the agent rejoins the allocator afterwards with what its tasks
 * hold). Owned by the master loop thread.
 */
final class AgentTaskSync {
    private static final Logger log = LoggerFactory.getLogger(AgentTaskSync.class);

    private final MasterContext ctx;
    private final FrameworkLifecycle frameworks;

    AgentTaskSync(MasterContext ctx, FrameworkLifecycle frameworks) {
        this.ctx = ctx;
        this.frameworks = frameworks;
    }

    void reconcile(Agent agent, AgentAdmission admission, boolean knownAgent) {
        Map<Tasks.Key, AgentCall.KnownTask> reported = new LinkedHashMap<>();
        for (AgentCall.KnownTask known : admission.knownTasks()) {
            reported.put(new Tasks.Key(MesosIds.of(known.frameworkId()), MesosIds.of(known.task().getTaskId())), known);
        }
        Instant now = ctx.now();
        if (knownAgent) {
            for (Task task : ctx.tasks().onAgent(agent.id())) {
                AgentCall.KnownTask known = reported.remove(new Tasks.Key(task.frameworkId(), task.id()));
                if (known == null && !task.state().isTerminal()) {
                    change(task, Protos.TaskState.TASK_LOST, "Agent " + agent + " re-subscribed without this task", now);
                } else if (known != null && mustKill(task, known)) {
                    kill(agent, task);
                } else if (known != null && task.state() != TaskState.valueOf(known.state().name())) {
                    change(task, known.state(), "Agent " + agent + " re-subscribed and reports the task "
                            + known.state(), now);
                }
            }
        }
        for (AgentCall.KnownTask known : reported.values()) {
            try {
                adopt(agent, admission, known, now);
            } catch (IllegalArgumentException e) {
                log.warn("Agent {} reports task {} that cannot be adopted: {}", agent,
                        known.task().getTaskId().getValue(), e.getMessage());
            }
        }
    }

    /**
     * A task of a framework without PARTITION_AWARE that was unreachable and is still alive: the
     * framework was told TASK_LOST and may have replaced it, so (as in Mesos) it is killed, not revived.
     */
    private boolean mustKill(Task task, AgentCall.KnownTask known) {
        return task.state() == TaskState.TASK_UNREACHABLE
                && !TaskState.valueOf(known.state().name()).isTerminal()
                && ctx.frameworks().get(task.frameworkId()).map(f -> !f.isPartitionAware()).orElse(false);
    }

    /** Kills the task without telling the framework; the agent's terminal update will reach it. */
    private void kill(Agent agent, Task task) {
        task.markLostToFramework();
        Protos.KillPolicy policy = task.info().hasKillPolicy() ? task.info().getKillPolicy() : null;
        agent.send(new AgentEvent.Kill(MesosIds.proto(task.frameworkId()), task.info().getTaskId(), policy));
        log.info("Killing task {} on re-joined agent {}: its framework is not partition-aware and was told"
                + " TASK_LOST", task, agent);
    }

    private void change(Task task, Protos.TaskState state, String message, Instant now) {
        TaskState before = task.state();
        if (!before.canTransitionTo(TaskState.valueOf(state.name()))) {
            log.warn("Ignoring state {} of task {} from its re-subscribing agent: it cannot follow {}", state, task,
                    before);
            return;
        }
        TaskStatus status = StatusUpdates.fromMaster(MesosIds.proto(task.id()), task.agentId(), state,
                TaskStatus.Reason.REASON_AGENT_REREGISTERED, message, now);
        task.record(status);
        log.info("Task {} is {}: {}", task, state, message);
        if (task.state().isTerminal()) {
            ctx.tasks().release(task); // booked only: the agent rejoins the allocator without it
        }
        ctx.frameworks().get(task.frameworkId()).ifPresent(framework -> framework.send(
                Events.update(StatusUpdates.forFramework(status, framework.isPartitionAware()))));
        if (task.state().isTerminal()) {
            ctx.tasks().complete(task);
        }
    }

    private void adopt(Agent agent, AgentAdmission admission, AgentCall.KnownTask known, Instant now) {
        FrameworkId frameworkId = MesosIds.of(known.frameworkId());
        if (ctx.frameworks().wasRemoved(frameworkId)) {
            agent.send(new AgentEvent.ShutdownFramework(known.frameworkId()));
            return;
        }
        if (ctx.tasks().contains(frameworkId, MesosIds.of(known.task().getTaskId()))) {
            log.warn("Agent {} reports task {} of framework {}, which the master knows on another agent; ignoring it",
                    agent, known.task().getTaskId().getValue(), frameworkId);
            return;
        }
        Framework framework = ctx.frameworks().get(frameworkId)
                .orElseGet(() -> frameworks.recover(frameworkInfo(admission, known.frameworkId())));
        Protos.TaskInfo info = known.task().toBuilder().setAgentId(MesosIds.proto(agent.id())).build();
        TaskStatus status = StatusUpdates.fromMaster(info.getTaskId(), agent.id(), known.state(),
                TaskStatus.Reason.REASON_AGENT_REREGISTERED, "Reported by agent " + agent + " as it subscribed", now);
        Task task = new Task(frameworkId, agent.id(), roleOf(info, framework), info,
                ResourceMapping.fromMesos(info.getResourcesList()), status);
        ctx.tasks().add(task, executorResources(task, info));
        if (task.state().isTerminal()) {
            ctx.tasks().release(task);
        }
        log.info("Adopted task {} in state {} from agent {}", task, known.state(), agent);
    }

    private Resources executorResources(Task task, Protos.TaskInfo info) {
        Optional<ExecutorId> executorId = task.executorId();
        if (executorId.isEmpty() || ctx.tasks().executorRunning(task.frameworkId(), task.agentId(), executorId.get())) {
            return Resources.empty();
        }
        try {
            return ResourceMapping.fromMesos(info.getExecutor().getResourcesList());
        } catch (IllegalArgumentException e) {
            log.warn("Ignoring malformed resources of executor {} of task {}", executorId.get(), task, e);
            return Resources.empty();
        }
    }

    /** The role the task's resources were allocated under: from allocation_info, else the framework's first role. */
    private static String roleOf(Protos.TaskInfo info, Framework framework) {
        return info.getResourcesList().stream()
                .filter(Protos.Resource::hasAllocationInfo)
                .map(r -> r.getAllocationInfo().getRole())
                .findFirst()
                .orElseGet(() -> framework.roles().stream().findFirst().orElse("*"));
    }

    private static Protos.FrameworkInfo frameworkInfo(AgentAdmission admission, Protos.FrameworkID id) {
        return admission.call().frameworks().stream()
                .filter(f -> f.hasId() && f.getId().equals(id))
                .findFirst()
                .orElseGet(() -> Protos.FrameworkInfo.newBuilder().setId(id).setUser("")
                        .setName("unknown framework (recovered from agent)").build());
    }
}
