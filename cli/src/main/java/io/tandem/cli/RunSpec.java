package io.tandem.cli;

import io.tandem.sdk.ResourceNeeds;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.DurationInfo;
import org.apache.mesos.v1.Protos.Environment;
import org.apache.mesos.v1.Protos.KillPolicy;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;

/**
 * What {@code tandem run} launches: {@code instances} copies of one command, named
 * {@code <name>-0 .. <name>-(instances-1)}, each with the same needs.
 *
 * @param killGrace how long a killed task gets between SIGTERM and SIGKILL; {@code null} for the agent's default
 */
record RunSpec(String name, int instances, ResourceNeeds needs, CommandInfo command, Duration killGrace) {

    /**
     * The command as Mesos runs it: through {@code sh -c} when {@code shell}, else as an argv whose
     * first element is the program (Mesos passes {@code arguments} whole, argv[0] included).
     */
    static CommandInfo command(List<String> argv, boolean shell, Map<String, String> env) {
        CommandInfo.Builder command = CommandInfo.newBuilder().setShell(shell);
        if (shell) {
            command.setValue(String.join(" ", argv));
        } else {
            command.setValue(argv.getFirst()).addAllArguments(argv);
        }
        if (!env.isEmpty()) {
            Environment.Builder variables = Environment.newBuilder();
            env.forEach((k, v) -> variables.addVariables(Environment.Variable.newBuilder().setName(k).setValue(v)));
            command.setEnvironment(variables);
        }
        return command.build();
    }

    String taskId(int instance) {
        return name + "-" + instance;
    }

    TaskInfo task(int instance, AgentID agentId, List<Resource> resources) {
        TaskInfo.Builder task = TaskInfo.newBuilder()
                .setName(taskId(instance))
                .setTaskId(TaskID.newBuilder().setValue(taskId(instance)))
                .setAgentId(agentId)
                .addAllResources(resources)
                .setCommand(command);
        if (killGrace != null) {
            task.setKillPolicy(KillPolicy.newBuilder()
                    .setGracePeriod(DurationInfo.newBuilder().setNanoseconds(killGrace.toNanos())));
        }
        return task.build();
    }
}
