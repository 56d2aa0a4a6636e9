package io.tandem.master;

import com.google.protobuf.ByteString;
import io.tandem.model.AgentId;
import io.tandem.model.ExecutorId;
import io.tandem.model.FrameworkId;
import io.tandem.model.Resources;
import io.tandem.model.TaskId;
import io.tandem.model.TaskState;
import java.util.Optional;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskStatus;

/**
 * A task the master launched (or learnt about from an agent), with its latest status. The task's
 * resources are held in the allocator until it reaches a terminal state; the task itself is kept
 * until the framework acknowledges that terminal state, so that reconciliation can still answer.
 *
 * <p>Owned by the master loop thread; not thread-safe.
 */
final class Task {
    private final FrameworkId frameworkId;
    private final AgentId agentId;
    private final String role;
    private final TaskInfo info;
    private final Resources resources;
    private TaskState state;
    private TaskStatus latest;
    private ByteString unacknowledgedUuid;
    private boolean resourcesReleased;
    private boolean lostToFramework;

    Task(FrameworkId frameworkId, AgentId agentId, String role, TaskInfo info, Resources resources,
         TaskStatus initial) {
        this.frameworkId = frameworkId;
        this.agentId = agentId;
        this.role = role;
        this.info = info;
        this.resources = resources;
        this.latest = initial;
        this.state = TaskState.valueOf(initial.getState().name());
    }

    FrameworkId frameworkId() {
        return frameworkId;
    }

    AgentId agentId() {
        return agentId;
    }

    /** The role whose offer the task was launched from; its resources are allocated under it. */
    String role() {
        return role;
    }

    TaskId id() {
        return new TaskId(info.getTaskId().getValue());
    }

    TaskInfo info() {
        return info;
    }

    /** The task's own resources (an executor's are accounted separately, see {@link Tasks}). */
    Resources resources() {
        return resources;
    }

    Optional<ExecutorId> executorId() {
        return info.hasExecutor() ? Optional.of(new ExecutorId(info.getExecutor().getExecutorId().getValue()))
                : Optional.empty();
    }

    TaskState state() {
        return state;
    }

    TaskStatus latestStatus() {
        return latest;
    }

    /** The uuid of the latest reliable update not yet acknowledged by the framework. */
    Optional<ByteString> unacknowledgedUuid() {
        return Optional.ofNullable(unacknowledgedUuid);
    }

    boolean resourcesReleased() {
        return resourcesReleased;
    }

    /** Records a status; the caller has checked that the transition is legal. */
    void record(TaskStatus status) {
        latest = status;
        state = TaskState.valueOf(status.getState().name());
        unacknowledgedUuid = status.hasUuid() ? status.getUuid() : null;
    }

    void acknowledged() {
        unacknowledgedUuid = null;
    }

    /**
     * True once the master killed the task because its framework had been told TASK_LOST (an
     * unreachable agent came back): only the task's terminal update still reaches the framework.
     */
    boolean lostToFramework() {
        return lostToFramework;
    }

    void markLostToFramework() {
        lostToFramework = true;
    }

    void releaseResources() {
        resourcesReleased = true;
    }

    @Override
    public String toString() {
        return info.getTaskId().getValue() + " of framework " + frameworkId;
    }
}
