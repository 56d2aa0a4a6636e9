package io.tandem.frameworks.batch;

import java.util.List;
import java.util.Map;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.Environment;
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
        Environment.Builder env = Environment.newBuilder();
        task.stage.env().forEach((k, v) -> env.addVariables(variable(k, v)));
        Map.of("TANDEM_JOB", run.id, "TANDEM_STAGE", task.stage.name(),
                "TANDEM_TASK_INDEX", Integer.toString(task.index), "TANDEM_ATTEMPT", Integer.toString(task.attempts))
                .forEach((k, v) -> env.addVariables(variable(k, v)));
        return TaskInfo.newBuilder()
                .setName(run.id + "/" + task.name())
                .setTaskId(TaskID.newBuilder().setValue(id))
                .setAgentId(agent)
                .addAllResources(resources)
                .setCommand(CommandInfo.newBuilder().setShell(true).setValue(task.stage.command()).setEnvironment(env))
                .build();
    }

    private static Environment.Variable variable(String name, String value) {
        return Environment.Variable.newBuilder().setName(name).setType(Environment.Variable.Type.VALUE)
                .setValue(value).build();
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
