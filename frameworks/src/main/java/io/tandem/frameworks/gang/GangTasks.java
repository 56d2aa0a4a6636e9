package io.tandem.frameworks.gang;

import java.util.List;
import java.util.Map;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.Environment;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;

/** A gang member as a Mesos command task. */
final class GangTasks {
    private GangTasks() {}

    /**
     * Member {@code rank} of launch {@code attempt}: id {@code NAME.ATTEMPT.RANK}; environment
     * {@code TANDEM_GANG_MEMBERS} (every member's {@code host:port}, comma-separated, in rank order),
     * {@code TANDEM_GANG_RANK}, {@code TANDEM_GANG_SIZE}, and {@code PORT0}/{@code PORT} (its own port).
     */
    static TaskInfo member(GangSpec spec, int attempt, int rank, GangPlacement.Slot slot, List<String> addresses) {
        Environment.Builder env = Environment.newBuilder();
        spec.env().forEach((k, v) -> env.addVariables(variable(k, v)));
        String port = Long.toString(slot.placement().ports().getFirst());
        Map.of("TANDEM_GANG_MEMBERS", String.join(",", addresses), "TANDEM_GANG_RANK", Integer.toString(rank),
                        "TANDEM_GANG_SIZE", Integer.toString(spec.size()), "PORT0", port, "PORT", port)
                .forEach((k, v) -> env.addVariables(variable(k, v)));
        return TaskInfo.newBuilder()
                .setName(spec.name() + "/" + rank)
                .setTaskId(TaskID.newBuilder().setValue(spec.name() + "." + attempt + "." + rank))
                .setAgentId(slot.offer().getAgentId())
                .addAllResources(slot.placement().resources())
                .setCommand(CommandInfo.newBuilder().setShell(true).setValue(spec.command()).setEnvironment(env))
                .build();
    }

    private static Environment.Variable variable(String name, String value) {
        return Environment.Variable.newBuilder().setName(name).setType(Environment.Variable.Type.VALUE)
                .setValue(value).build();
    }
}
