package io.tandem.master;

import io.tandem.api.agent.AgentCall;
import io.tandem.api.agent.AgentEvent;
import io.tandem.model.ExecutorId;
import io.tandem.model.FrameworkId;
import io.tandem.model.TaskState;
import java.time.Duration;
import java.util.Optional;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Status updates and executor messages coming from agents, on their way to frameworks.
 *
 * <p>An update moves the task along {@link TaskState}'s transition table; an illegal transition is
 * logged and ignored. A terminal state gives the task's resources back to the allocator at once.
 * The update is forwarded as it came (uuid included, so the framework acknowledges it); a
 * disconnected framework misses it and gets it again when the agent retries.
 *
 * <p>Owned by the master loop thread.
 */
final class TaskUpdates {
    private static final Logger log = LoggerFactory.getLogger(TaskUpdates.class);

    private final MasterContext ctx;
    private final Allocation allocation;

    TaskUpdates(MasterContext ctx, Allocation allocation) {
        this.ctx = ctx;
        this.allocation = allocation;
    }

    void update(Agent agent, AgentCall.Update update) {
        TaskStatus status = update.status().hasAgentId() ? update.status()
                : update.status().toBuilder().setAgentId(MesosIds.proto(agent.id())).build();
        FrameworkId frameworkId = MesosIds.of(update.frameworkId());
        Optional<Task> task = ctx.tasks().get(frameworkId, MesosIds.of(status.getTaskId()));
        if (task.isEmpty()) {
            updateOfUnknownTask(agent, frameworkId, status);
            return;
        }
        if (!task.get().agentId().equals(agent.id())) {
            log.warn("Ignoring update of task {} from agent {}: the task runs on agent {}", task.get(), agent,
                    task.get().agentId());
            return;
        }
        if (task.get().lostToFramework() && !TaskState.valueOf(status.getState().name()).isTerminal()) {
            acknowledgeForFramework(agent, update, task.get());
            return;
        }
        if (!record(task.get(), status)) {
            return;
        }
        ctx.frameworks().get(frameworkId).ifPresent(framework -> framework.send(
                Events.update(StatusUpdates.forFramework(status, framework.isPartitionAware()))));
    }

    /**
     * The framework of a task being killed after a partition considers it lost: a non-terminal
     * update is not its business. The master acknowledges it itself, so that the agent (which
     * sends a task's updates in order) goes on to the terminal one.
     */
    private void acknowledgeForFramework(Agent agent, AgentCall.Update update, Task task) {
        log.debug("Not forwarding {} of task {}, which is being killed", update.status().getState(), task);
        if (update.status().hasUuid()) {
            agent.send(new AgentEvent.Acknowledge(update.frameworkId(), update.status().getTaskId(),
                    update.status().getUuid()));
        }
    }

    /** Records the status on the task; false if it was refused as an illegal transition. */
    boolean record(Task task, TaskStatus status) {
        TaskState before = task.state();
        TaskState after = TaskState.valueOf(status.getState().name());
        if (before != after && !before.canTransitionTo(after)) {
            log.warn("Ignoring update of task {}: {} cannot follow {}", task, after, before);
            return false;
        }
        task.record(status);
        if (before != after) {
            log.info("Task {} is {}{}", task, after, status.getMessage().isEmpty() ? "" : ": " + status.getMessage());
        }
        if (after.isTerminal()) {
            allocation.recover(task.frameworkId(), task.agentId(), task.role(), ctx.tasks().release(task),
                    Duration.ZERO);
            allocation.request();
            if (!status.hasUuid()) {
                ctx.tasks().complete(task); // Nothing will acknowledge it.
            }
        }
        return true;
    }

    private void updateOfUnknownTask(Agent agent, FrameworkId frameworkId, TaskStatus status) {
        if (ctx.frameworks().wasRemoved(frameworkId)) {
            log.info("Agent {} sent an update for task {} of removed framework {}; telling it to shut the"
                    + " framework down", agent, status.getTaskId().getValue(), frameworkId);
            agent.send(new AgentEvent.ShutdownFramework(MesosIds.proto(frameworkId)));
            return;
        }
        Optional<Framework> framework = ctx.frameworks().get(frameworkId);
        if (framework.isEmpty()) {
            log.warn("Dropping update {} of task {} from agent {}: framework {} is unknown", status.getState(),
                    status.getTaskId().getValue(), agent, frameworkId);
            return;
        }
        // As in Mesos: forward anyway, so that the framework can acknowledge and the agent stop retrying.
        log.debug("Forwarding update {} of task {} unknown to the master", status.getState(),
                status.getTaskId().getValue());
        framework.get().send(Events.update(StatusUpdates.forFramework(status, framework.get().isPartitionAware())));
    }

    /**
     * An executor on the agent exited: its resources go back at once and its framework gets a FAILURE
     * event naming it, as in Mesos.
     */
    void executorExited(Agent agent, Protos.FrameworkID frameworkId, Protos.ExecutorID executorId, int status) {
        FrameworkId framework = MesosIds.of(frameworkId);
        ctx.tasks().executorExited(framework, agent.id(), new ExecutorId(executorId.getValue()))
                .ifPresent(held -> {
                    allocation.recover(framework, agent.id(), held.role(), held.resources(), Duration.ZERO);
                    allocation.request();
                });
        log.info("Executor {} of framework {} on agent {} exited with status {}", executorId.getValue(), framework,
                agent, status);
        ctx.frameworks().get(framework).ifPresent(f -> f.send(
                Events.executorExited(MesosIds.proto(agent.id()), executorId, status)));
    }

    void message(Agent agent, AgentCall.Message message) {
        Optional<Framework> framework = ctx.frameworks().get(MesosIds.of(message.frameworkId()));
        if (framework.isEmpty() || !framework.get().isConnected()) {
            log.warn("Dropping message from executor {} on agent {}: framework {} is not connected",
                    message.executorId().getValue(), agent, message.frameworkId().getValue());
            return;
        }
        framework.get().send(Events.message(MesosIds.proto(agent.id()), message.executorId(), message.data()));
    }
}
