package io.tandem.master;

import io.tandem.api.agent.AgentEvent;
import io.tandem.master.maintenance.MaintenanceMessages;
import io.tandem.master.maintenance.MaintenanceState;
import io.tandem.model.FrameworkId;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.master.Protos.Call;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator calls of Mesos's maintenance primitives: UPDATE_MAINTENANCE_SCHEDULE, START_MAINTENANCE and
 * STOP_MAINTENANCE, each answered 200 as in Mesos. The new {@link MaintenanceState} is decided first
 * (a refusal is a 400 naming the machine or window, and changes nothing), then applied: offers on agents
 * whose unavailability changed are rescinded so that they come back carrying the new one; agents of
 * machines brought DOWN are removed as Mesos removes them ("Operator initiated 'Machine DOWN'"): each of
 * their frameworks is shut down on the agent, which kills its tasks, the tasks end TASK_LOST
 * (REASON_AGENT_REMOVED) for every framework, frameworks get a FAILURE event for the agent, and the agent
 * is forgotten; it cannot register again until its machine is brought UP.
 *
 * <p>Owned by the master loop thread.
 */
final class MaintenanceCalls {
    private static final Logger log = LoggerFactory.getLogger(MaintenanceCalls.class);
    static final String DOWN_MESSAGE = "Operator initiated 'Machine DOWN'";

    private final MasterContext ctx;
    private final Allocation allocation;
    private final Durability durability;

    MaintenanceCalls(MasterContext ctx, Allocation allocation, Durability durability) {
        this.ctx = ctx;
        this.allocation = allocation;
        this.durability = durability;
    }

    CallResult handle(Call call) {
        Optional<String> missing = switch (call.getType()) {
            case UPDATE_MAINTENANCE_SCHEDULE -> call.hasUpdateMaintenanceSchedule() ? Optional.empty()
                    : Optional.of("update_maintenance_schedule");
            case START_MAINTENANCE -> call.hasStartMaintenance() ? Optional.empty() : Optional.of("start_maintenance");
            case STOP_MAINTENANCE -> call.hasStopMaintenance() ? Optional.empty() : Optional.of("stop_maintenance");
            default -> Optional.empty();
        };
        if (missing.isPresent()) {
            return CallResult.badRequest("Invalid " + call.getType() + ": expecting '" + missing.get() + "' to be present");
        }
        MaintenanceState before = ctx.maintenance().state();
        MaintenanceState after;
        try {
            after = switch (call.getType()) {
                case UPDATE_MAINTENANCE_SCHEDULE ->
                        before.withSchedule(MaintenanceMessages.windows(call.getUpdateMaintenanceSchedule().getSchedule()));
                case START_MAINTENANCE ->
                        before.withDown(MaintenanceMessages.machines(call.getStartMaintenance().getMachinesList()));
                case STOP_MAINTENANCE ->
                        before.withUp(MaintenanceMessages.machines(call.getStopMaintenance().getMachinesList()));
                default -> throw new IllegalArgumentException("not a maintenance call");
            };
        } catch (IllegalArgumentException e) {
            return CallResult.badRequest("Invalid " + call.getType() + ": " + e.getMessage());
        }
        apply(before, after);
        log.info("Operator {}: {} machines scheduled, DOWN: {}", call.getType(),
                after.schedule().stream().mapToInt(w -> w.machines().size()).sum(), after.down());
        return CallResult.ok();
    }

    private void apply(MaintenanceState before, MaintenanceState after) {
        ctx.maintenance().set(after);
        // The agents and frameworks hear of a DOWN machine once the registry holds it, as with MARK_AGENT_GONE.
        List<Runnable> tell = new java.util.ArrayList<>();
        for (Agent agent : List.copyOf(ctx.agents().allReachable())) {
            if (after.isDown(agent.hostname(), agent.ip())) {
                removeForMaintenance(agent, tell);
            } else if (!after.drainingUnavailability(agent.hostname(), agent.ip())
                    .equals(before.drainingUnavailability(agent.hostname(), agent.ip()))) {
                // Offers made before carry the old unavailability (or none): make them again.
                ctx.offers().onAgent(agent.id()).forEach(offer -> allocation.rescind(offer, true));
            }
        }
        allocation.inverseOffers().maintenanceChanged(before, after);
        allocation.request();
        if (!tell.isEmpty()) {
            durability.then(() -> tell.forEach(Runnable::run));
        }
    }

    private void removeForMaintenance(Agent agent, List<Runnable> tell) {
        Instant now = ctx.now();
        Set<FrameworkId> frameworks = new LinkedHashSet<>();
        ctx.tasks().onAgent(agent.id()).stream().filter(t -> !t.state().isTerminal())
                .forEach(t -> frameworks.add(t.frameworkId()));
        // Mesos sends the agent a ShutdownMessage; Tandem's agent protocol shuts down one framework at a time.
        tell.add(() -> {
            frameworks.forEach(id -> agent.send(new AgentEvent.ShutdownFramework(MesosIds.proto(id))));
            agent.markUnreachable(); // its stream closes once it was told
        });
        ctx.offers().onAgent(agent.id()).forEach(offer -> allocation.rescind(offer, true));
        ctx.allocator().removeAgent(agent.id());
        String why = "Agent " + agent.hostname() + " removed: " + DOWN_MESSAGE;
        for (Task task : ctx.tasks().onAgent(agent.id())) {
            if (!task.state().isTerminal()) {
                TaskStatus status = StatusUpdates.fromMaster(MesosIds.proto(task.id()), agent.id(),
                        Protos.TaskState.TASK_LOST, TaskStatus.Reason.REASON_AGENT_REMOVED, why, now);
                task.record(status);
                log.info("Task {} is TASK_LOST: its machine went DOWN for maintenance", task);
                ctx.frameworks().get(task.frameworkId()).ifPresent(f -> tell.add(() -> f.send(
                        Events.update(StatusUpdates.forFramework(status, f.isPartitionAware())))));
            }
            ctx.tasks().release(task);
            ctx.tasks().complete(task);
        }
        ctx.frameworks().connected().forEach(f -> tell.add(() -> f.send(Events.agentLost(MesosIds.proto(agent.id())))));
        ctx.agents().remove(agent.id());
        log.info("Agent {} removed: its machine is DOWN for maintenance", agent);
    }
}
