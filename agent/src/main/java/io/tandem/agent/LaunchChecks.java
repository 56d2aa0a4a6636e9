package io.tandem.agent;

import io.tandem.agent.process.Sandboxes;
import java.util.Optional;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.TaskInfo;

/**
 * The agent's own checks of a task before it runs it. The master validates tasks too; these guard
 * the agent against what would break it (ids that are not directory names) or make no sense.
 */
final class LaunchChecks {
    private LaunchChecks() {}

    /** Why {@code task} cannot run here, or null when it can. */
    static String invalid(FrameworkInfo framework, TaskInfo task) {
        if (task.hasCommand() == task.hasExecutor()) {
            return "Task '" + task.getTaskId().getValue()
                    + "' must have either a command or an executor, and not both";
        }
        Optional<String> badId = Sandboxes.unusableId("framework", framework.getId().getValue())
                .or(() -> Sandboxes.unusableId("task", task.getTaskId().getValue()))
                .or(() -> task.hasExecutor()
                        ? Sandboxes.unusableId("executor", task.getExecutor().getExecutorId().getValue())
                        : Optional.empty());
        if (badId.isPresent()) {
            return badId.get();
        }
        if (task.hasCommand() && task.getTaskId().getValue().equals(Sandboxes.EXECUTORS_DIR)) {
            return "task id '" + Sandboxes.EXECUTORS_DIR + "' is reserved for the executors' sandboxes on this agent";
        }
        return null;
    }
}
