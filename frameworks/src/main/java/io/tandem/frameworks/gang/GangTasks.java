package io.tandem.frameworks.gang;

import io.tandem.frameworks.common.ShellCommand;
import java.util.List;
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
        String port = Long.toString(slot.placement().ports().getFirst());
        java.util.SequencedMap<String, String> tandem = new java.util.LinkedHashMap<>();
        tandem.put("TANDEM_GANG_MEMBERS", String.join(",", addresses));
        tandem.put("TANDEM_GANG_RANK", Integer.toString(rank));
        tandem.put("TANDEM_GANG_SIZE", Integer.toString(spec.size()));
        tandem.put("PORT0", port);
        tandem.put("PORT", port);
        return TaskInfo.newBuilder()
                .setName(spec.name() + "/" + rank)
                .setTaskId(TaskID.newBuilder().setValue(spec.name() + "." + attempt + "." + rank))
                .setAgentId(slot.offer().getAgentId())
                .addAllResources(slot.placement().resources())
                .setCommand(ShellCommand.of(spec.command(), spec.env(), tandem))
                .build();
    }
}
