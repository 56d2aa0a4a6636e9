package io.tandem.master;

import io.tandem.model.AgentId;
import java.time.Instant;
import java.util.Optional;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.Protos.TaskStatus.Reason;
import org.apache.mesos.v1.scheduler.Protos.Call;

/**
 * Answers RECONCILE (and KILL of an unknown task) from what the master knows, as Mesos does: each
 * answer is an UPDATE without uuid and with REASON_RECONCILIATION.
 *
 * <ul>
 *   <li>a known task: its latest state;
 *   <li>an unknown task on a reachable agent: TASK_GONE;
 *   <li>an unknown task on an unreachable agent: TASK_UNREACHABLE;
 *   <li>an unknown task on an unknown (or unnamed) agent: TASK_UNKNOWN;
 * </ul>
 * and frameworks that are not partition-aware see TASK_LOST for the last three. After a failover,
 * an unknown task on an agent the registry says may still come back (or, when the agent is not
 * named, while any such agent is missing) gets no answer, as in Mesos: the agent will report it.
 *
 * <p>Owned by the master loop thread.
 */
final class Reconciliation {
    private final MasterContext ctx;

    Reconciliation(MasterContext ctx) {
        this.ctx = ctx;
    }

    void reconcile(Framework framework, Call.Reconcile reconcile) {
        if (reconcile.getTasksCount() == 0) {
            for (Task task : ctx.tasks().ofFramework(framework.id())) {
                send(framework, latest(task));
            }
            return;
        }
        for (Call.Reconcile.Task asked : reconcile.getTasksList()) {
            answer(framework, asked.getTaskId(),
                    asked.hasAgentId() ? Optional.of(MesosIds.of(asked.getAgentId())) : Optional.empty())
                    .ifPresent(status -> send(framework, status));
        }
    }

    /**
     * The reconciliation answer for one task, as the framework will see it; empty while the agent it may
     * be on is still expected back after a failover.
     */
    Optional<TaskStatus> answer(Framework framework, Protos.TaskID taskId, Optional<AgentId> agentId) {
        Optional<Task> task = ctx.tasks().get(framework.id(), MesosIds.of(taskId));
        if (task.isPresent()) {
            return Optional.of(latest(task.get()));
        }
        boolean mayComeBack = agentId.map(ctx.recoveredAgents()::isWaitingFor)
                .orElse(!ctx.recoveredAgents().isEmpty());
        if (mayComeBack) {
            return Optional.empty();
        }
        return Optional.of(unknown(taskId, agentId));
    }

    private TaskStatus unknown(Protos.TaskID taskId, Optional<AgentId> agentId) {
        Instant now = ctx.now();
        Optional<Agent> agent = agentId.flatMap(ctx.agents()::get);
        if (agent.isPresent() && agent.get().isReachable()) {
            return StatusUpdates.fromMaster(taskId, agentId.get(), TaskState.TASK_GONE, Reason.REASON_RECONCILIATION,
                    "Reconciliation: task is unknown to agent " + agentId.get(), now);
        }
        if (agent.isPresent()) {
            return StatusUpdates.fromMaster(taskId, agentId.get(), TaskState.TASK_UNREACHABLE,
                    Reason.REASON_RECONCILIATION, "Reconciliation: agent " + agentId.get() + " is unreachable", now);
        }
        return StatusUpdates.fromMaster(taskId, agentId.orElse(null), TaskState.TASK_UNKNOWN,
                Reason.REASON_RECONCILIATION, "Reconciliation: task is unknown", now);
    }

    private TaskStatus latest(Task task) {
        return task.latestStatus().toBuilder()
                .clearUuid()
                .setSource(TaskStatus.Source.SOURCE_MASTER)
                .setReason(Reason.REASON_RECONCILIATION)
                .setMessage("Reconciliation: latest task state")
                .setTimestamp(StatusUpdates.seconds(ctx.now()))
                .build();
    }

    private static void send(Framework framework, TaskStatus status) {
        framework.send(Events.update(StatusUpdates.forFramework(status, framework.isPartitionAware())));
    }
}
