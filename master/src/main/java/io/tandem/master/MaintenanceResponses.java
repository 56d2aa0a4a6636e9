package io.tandem.master;

import io.tandem.master.maintenance.MachineId;
import io.tandem.master.maintenance.MaintenanceMessages;
import java.util.List;
import java.util.Map;
import org.apache.mesos.v1.allocator.Protos.InverseOfferStatus;
import org.apache.mesos.v1.maintenance.Protos.ClusterStatus;
import org.apache.mesos.v1.master.Protos.Response;

/** GET_MAINTENANCE_SCHEDULE and GET_MAINTENANCE_STATUS, built from a {@link ClusterSnapshot}. Stateless. */
final class MaintenanceResponses {
    private MaintenanceResponses() {}

    static Response getSchedule(ClusterSnapshot snapshot) {
        return Response.newBuilder().setType(Response.Type.GET_MAINTENANCE_SCHEDULE)
                .setGetMaintenanceSchedule(Response.GetMaintenanceSchedule.newBuilder()
                        .setSchedule(MaintenanceMessages.schedule(snapshot.maintenance().state())))
                .build();
    }

    /** DRAINING machines with each framework's latest answer (UNKNOWN until it answers), and DOWN machines. */
    static Response getStatus(ClusterSnapshot snapshot) {
        ClusterStatus.Builder status = ClusterStatus.newBuilder();
        for (Map.Entry<MachineId, List<InverseOfferStatus>> machine : snapshot.maintenance().statuses().entrySet()) {
            status.addDrainingMachinesBuilder().setId(MaintenanceMessages.proto(machine.getKey()))
                    .addAllStatuses(machine.getValue());
        }
        snapshot.maintenance().state().down().forEach(m -> status.addDownMachines(MaintenanceMessages.proto(m)));
        return Response.newBuilder().setType(Response.Type.GET_MAINTENANCE_STATUS)
                .setGetMaintenanceStatus(Response.GetMaintenanceStatus.newBuilder().setStatus(status))
                .build();
    }
}
