package io.tandem.frameworks.batch;

import io.tandem.frameworks.common.ShellCommand;
import java.util.List;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskStatus;

/** How a batch task attempt looks to Mesos, and how its end reads to a person. */
final class BatchTasks {
    private BatchTasks() {}

    /**
     * A command task running the stage's command through {@code sh -c}, with the stage's environment
     * plus {@code TANDEM_JOB}, {@code TANDEM_STAGE}, {@code TANDEM_TASK_INDEX} and {@code TANDEM_ATTEMPT}.
     */
    static TaskInfo info(JobRun run, TaskRun task, String id, AgentID agent, List<Resource> resources) {
        java.util.SequencedMap<String, String> tandem = new java.util.LinkedHashMap<>();
        tandem.put("TANDEM_JOB", run.id);
        tandem.put("TANDEM_STAGE", task.stage.name());
        tandem.put("TANDEM_TASK_INDEX", Integer.toString(task.index));
        tandem.put("TANDEM_ATTEMPT", Integer.toString(task.attempts));
        return TaskInfo.newBuilder()
                .setName(run.id + "/" + task.name())
                .setTaskId(TaskID.newBuilder().setValue(id))
                .setAgentId(agent)
                .addAllResources(resources)
                .setCommand(ShellCommand.of(task.stage.command(), task.stage.env(), tandem))
                .build();
    }

    /** Why an attempt did not finish: the agent's message ("Command exited with status 3"), else its state and reason. */
    static String reason(TaskStatus status) {
        String message = status.getMessage().strip();
        if (status.getState() == org.apache.mesos.v1.Protos.TaskState.TASK_FAILED && !message.isEmpty()) {
            return message;
        }
        String why = status.hasReason() ? " (" + status.getReason().name() + ")" : "";
        return status.getState().name() + why + (message.isEmpty() ? "" : ": " + message);
    }
}
