package io.tandem.agent;

import com.google.protobuf.ByteString;
import io.tandem.agent.status.StatusUpdateQueue;
import io.tandem.agent.status.TaskKey;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tasks this agent knows, and the one path by which their state changes: an update is
 * checked against the {@link io.tandem.model.TaskState} transition table, recorded as the task's
 * latest status and queued for reliable delivery. A task is forgotten once its terminal update is
 * acknowledged.
 *
 * <p>Owned by the agent loop thread.
 */
final class TaskTable {
    private static final Logger log = LoggerFactory.getLogger(TaskTable.class);

    private final Map<TaskKey, TaskRecord> tasks = new LinkedHashMap<>();
    private final StatusUpdateQueue updates;
    private final TaskStatuses statuses;
    private final Supplier<AgentID> agentId;
    private final Consumer<TaskRecord> onTerminal;

    /** {@code onTerminal} hears of every task that has just reached a terminal state. */
    TaskTable(StatusUpdateQueue updates, TaskStatuses statuses, Supplier<AgentID> agentId,
              Consumer<TaskRecord> onTerminal) {
        this.updates = updates;
        this.statuses = statuses;
        this.agentId = agentId;
        this.onTerminal = onTerminal;
    }

    TaskRecord get(TaskKey key) {
        return tasks.get(key);
    }

    void add(TaskRecord task) {
        tasks.put(task.key, task);
    }

    /** A task an earlier run of the agent left: its unacknowledged updates go back into the queue. */
    void restore(TaskRecord task, List<TaskStatus> unacknowledged) {
        tasks.put(task.key, task);
        updates.restore(task.key.frameworkId(), unacknowledged);
    }

    /** The state to tell a master on (re-)subscription: the last one the framework acknowledged while
     * newer updates are still queued, for those updates themselves will bring the news. */
    TaskState reportedState(TaskRecord task) {
        return updates.hasPending(task.key) ? task.acknowledgedState : task.state();
    }

    Collection<TaskRecord> all() {
        return List.copyOf(tasks.values());
    }

    List<TaskRecord> ofFramework(FrameworkID frameworkId) {
        return tasks.values().stream().filter(t -> t.key.frameworkId().equals(frameworkId)).toList();
    }

    /** Records an update the agent decides itself. Returns false when the transition is not legal. */
    boolean agentUpdate(TaskRecord task, TaskState state, TaskStatus.Reason reason, String message) {
        return record(task, statuses.fromAgent(task, agentId.get(), state, reason, message));
    }

    /** As {@link #agentUpdate(TaskRecord, TaskState, TaskStatus.Reason, String)}, with the task's health. */
    boolean agentUpdate(TaskRecord task, TaskState state, TaskStatus.Reason reason, String message, boolean healthy) {
        return record(task, statuses.fromAgent(task, agentId.get(), state, reason, message).toBuilder()
                .setHealthy(healthy).build());
    }

    /** Records an update an executor sent. Returns false when the transition is not legal. */
    boolean executorUpdate(TaskRecord task, TaskStatus sent) {
        return record(task, statuses.fromExecutor(sent, task, agentId.get()));
    }

    /** The best-effort answer to reconciliation for {@code task}. */
    TaskStatus reconciliation(TaskRecord task) {
        return statuses.forReconciliation(task, agentId.get());
    }

    /**
     * Passes the framework's acknowledgement to the update queue; returns the acknowledged update.
     * A task whose terminal update is acknowledged is forgotten (its sandbox stays on disk).
     */
    Optional<TaskStatus> acknowledge(FrameworkID frameworkId, TaskID taskId, ByteString uuid) {
        Optional<TaskStatus> acknowledged = updates.acknowledge(frameworkId, taskId, uuid);
        TaskKey key = new TaskKey(frameworkId, taskId);
        TaskRecord task = tasks.get(key);
        if (acknowledged.isPresent() && task != null) {
            task.acknowledgedState = acknowledged.get().getState();
        }
        if (acknowledged.isPresent() && task != null && task.isTerminal() && !updates.hasPending(key)) {
            tasks.remove(key);
            updates.forgetTask(key);
            log.debug("forgot {} after its terminal update was acknowledged", task);
        }
        return acknowledged;
    }

    /** Forgets every task of a framework that is gone, and stops retrying their updates. */
    void forgetFramework(FrameworkID frameworkId) {
        for (TaskRecord task : new ArrayList<>(ofFramework(frameworkId))) {
            tasks.remove(task.key);
            updates.forgetTask(task.key);
        }
        updates.forgetFramework(frameworkId);
    }

    private boolean record(TaskRecord task, TaskStatus status) {
        TaskState from = task.state();
        TaskState to = status.getState();
        if (!io.tandem.model.TaskState.valueOf(from.name()).canTransitionTo(io.tandem.model.TaskState.valueOf(to.name()))) {
            log.warn("dropping update {} -> {} of {}: not a legal transition", from, to, task);
            return false;
        }
        if (!updates.add(task.key.frameworkId(), status)) {
            return false; // a duplicate (same uuid): recorded already
        }
        task.latest = status;
        if (from != to) {
            log.info("{} is now {}{}", task, to, status.hasMessage() ? " (" + status.getMessage() + ")" : "");
        }
        if (task.isTerminal()) {
            onTerminal.accept(task);
        }
        return true;
    }
}
