package io.tandem.agent.recovery;

import io.tandem.agent.process.ExitStatus;
import io.tandem.agent.status.TaskKey;
import java.util.List;
import java.util.Optional;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;

/**
 * One task as an earlier run of the agent left it on disk.
 *
 * @param process the task's supervisor process, once it had started
 * @param container the task's container name, when the agent isolated it
 * @param updates every update journaled, oldest first
 * @param unacknowledged the updates not yet acknowledged, oldest first
 * @param exit what the supervisor shell recorded when the command ended
 */
public record TaskCheckpoint(FrameworkInfo framework, TaskInfo task, Optional<ProcessStamp> process,
                             Optional<String> container, List<TaskStatus> updates, List<TaskStatus> unacknowledged,
                             Optional<ExitStatus> exit) {
    public TaskCheckpoint {
        updates = List.copyOf(updates);
        unacknowledged = List.copyOf(unacknowledged);
    }

    /** This checkpoint with {@code exit} recorded. */
    public TaskCheckpoint withExit(ExitStatus exit) {
        return new TaskCheckpoint(framework, task, process, container, updates, unacknowledged, Optional.of(exit));
    }

    public TaskKey key() {
        return new TaskKey(framework.getId(), task.getTaskId());
    }

    /** The latest update, if any. */
    public Optional<TaskStatus> latest() {
        return updates.isEmpty() ? Optional.empty() : Optional.of(updates.getLast());
    }

    public TaskState state() {
        return latest().map(TaskStatus::getState).orElse(TaskState.TASK_STAGING);
    }

    /** The state the framework has acknowledged last: what the master can know for sure. */
    public TaskState acknowledgedState() {
        int acknowledged = updates.size() - unacknowledged.size();
        return acknowledged == 0 ? TaskState.TASK_STAGING : updates.get(acknowledged - 1).getState();
    }

    public boolean isTerminal() {
        return io.tandem.model.TaskState.valueOf(state().name()).isTerminal();
    }

    public boolean isCommandTask() {
        return !task.hasExecutor();
    }
}
