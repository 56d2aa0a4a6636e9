package io.tandem.master;

import io.tandem.master.maintenance.MachineId;
import io.tandem.master.maintenance.MaintenanceState;
import io.tandem.master.maintenance.Unavailability;
import io.tandem.model.AgentId;
import io.tandem.model.FrameworkId;
import io.tandem.model.OfferId;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.mesos.v1.allocator.Protos.InverseOfferStatus;

/**
 * The master's maintenance books: the schedule and modes (an immutable {@link MaintenanceState}, kept in
 * the registry), the inverse offers outstanding, each DRAINING machine's latest answer from each
 * framework, and how long a framework that answered is left alone. Only the state survives a
 * failover; inverse offers and answers are made again, as in Mesos.
 *
 * <p>Owned by the master loop thread; not thread-safe.
 */
final class Maintenance {
    /** An inverse offer made to a framework (on its stream {@code streamId}) for an agent on a DRAINING machine. */
    record InverseOffer(OfferId id, FrameworkId frameworkId, String streamId, AgentId agentId, MachineId machine,
                        Unavailability unavailability) {}

    /** A framework's latest answer for a machine: UNKNOWN until it accepts or declines. */
    record Answer(InverseOfferStatus.Status status, Instant at) {}

    record FrameworkOnAgent(FrameworkId frameworkId, AgentId agentId) {}

    private MaintenanceState state = MaintenanceState.EMPTY;
    final Map<OfferId, InverseOffer> outstanding = new LinkedHashMap<>();
    final Map<MachineId, Map<FrameworkId, Answer>> answers = new LinkedHashMap<>();
    final Map<FrameworkOnAgent, Instant> refusedUntil = new LinkedHashMap<>();

    MaintenanceState state() {
        return state;
    }

    void set(MaintenanceState newState) {
        state = newState;
    }

    /** The scheduled machine the agent runs on, if any. */
    Optional<MachineId> machineOf(Agent agent) {
        return state.machineOf(agent.hostname(), agent.ip());
    }

    /** The unavailability an offer on this agent carries: its machine's, while DRAINING. */
    Optional<Unavailability> unavailabilityOf(Agent agent) {
        return state.drainingUnavailability(agent.hostname(), agent.ip());
    }

    /** Each DRAINING machine's answers, as GET_MAINTENANCE_STATUS shows them. */
    Map<MachineId, List<InverseOfferStatus>> statuses() {
        Map<MachineId, List<InverseOfferStatus>> statuses = new LinkedHashMap<>();
        for (MachineId machine : state.draining()) {
            statuses.put(machine, answers.getOrDefault(machine, Map.of()).entrySet().stream()
                    .map(e -> InverseOfferStatus.newBuilder().setStatus(e.getValue().status())
                            .setFrameworkId(MesosIds.proto(e.getKey()))
                            .setTimestamp(StatusUpdates.timeInfo(e.getValue().at())).build())
                    .toList());
        }
        return statuses;
    }
}
