package io.tandem.master;

import io.tandem.allocator.TaskShape;
import io.tandem.api.agent.AgentEvent;
import io.tandem.model.AgentId;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Handles every scheduler call but SUBSCRIBE, once its syntax was checked ({@link CallSyntax}): first
 * whether the caller may make it (known framework, subscribed, on its current stream), then the call.
 *
 * <p>Owned by the master loop thread.
 */
final class SchedulerCalls {
    private static final Logger log = LoggerFactory.getLogger(SchedulerCalls.class);

    private final MasterContext ctx;
    private final FrameworkLifecycle lifecycle;
    private final Launches launches;
    private final Reconciliation reconciliation;
    private final Allocation allocation;

    SchedulerCalls(MasterContext ctx, FrameworkLifecycle lifecycle, Launches launches, Reconciliation reconciliation,
                   Allocation allocation) {
        this.ctx = ctx;
        this.lifecycle = lifecycle;
        this.launches = launches;
        this.reconciliation = reconciliation;
        this.allocation = allocation;
    }

    CallResult handle(Call call, Optional<String> streamId) {
        Optional<Framework> found = ctx.frameworks().get(MesosIds.of(call.getFrameworkId()));
        if (found.isEmpty()) {
            return CallResult.badRequest("Framework " + call.getFrameworkId().getValue() + " cannot be found"
                    + (ctx.frameworks().wasRemoved(MesosIds.of(call.getFrameworkId())) ? ": it was torn down" : ""));
        }
        Framework framework = found.get();
        if (!framework.isConnected()) {
            return CallResult.forbidden("Framework " + framework.id() + " is not subscribed");
        }
        if (streamId.isEmpty()) {
            return CallResult.badRequest("All non-subscribe calls should include the 'Mesos-Stream-Id' header");
        }
        if (!framework.streamId().orElseThrow().equals(streamId.get())) {
            return CallResult.forbidden("The stream ID '" + streamId.get() + "' included in this request didn't"
                    + " match the stream ID currently associated with framework ID " + framework.id());
        }
        return dispatch(framework, call);
    }

    private CallResult dispatch(Framework framework, Call call) {
        switch (call.getType()) {
            case TEARDOWN -> lifecycle.remove(framework, "the framework asked to be torn down");
            case ACCEPT -> {
                return launches.accept(framework, call.getAccept());
            }
            case DECLINE -> launches.decline(framework, call.getDecline());
            case REVIVE -> revive(framework, Set.copyOf(call.getRevive().getRolesList()));
            case SUPPRESS -> suppress(framework, Set.copyOf(call.getSuppress().getRolesList()));
            case KILL -> kill(framework, call.getKill());
            case ACKNOWLEDGE -> acknowledge(framework, call.getAcknowledge());
            case RECONCILE -> reconciliation.reconcile(framework, call.getReconcile());
            case MESSAGE -> message(framework, call.getMessage());
            case REQUEST -> {
                return request(framework, call.getRequest());
            }
            case ACCEPT_INVERSE_OFFERS -> allocation.inverseOffers().answer(framework,
                    call.getAcceptInverseOffers().getInverseOfferIdsList(), call.getAcceptInverseOffers().getFilters(), true);
            case DECLINE_INVERSE_OFFERS -> allocation.inverseOffers().answer(framework,
                    call.getDeclineInverseOffers().getInverseOfferIdsList(), call.getDeclineInverseOffers().getFilters(), false);
            default -> {
                // CallSyntax refuses these before they reach the loop; this guards against a gap between the two.
                return CallResult.badRequest("Call type " + call.getType() + " is not supported");
            }
        }
        return CallResult.accepted();
    }

    /** Tandem's extension: a REQUEST declares the framework's demand (see {@link DemandRequest}). */
    private CallResult request(Framework framework, Call.Request call) {
        DemandRequest demand;
        try {
            demand = DemandRequest.read(framework.roles(), call);
        } catch (IllegalArgumentException e) {
            return CallResult.badRequest("Invalid REQUEST: " + e.getMessage());
        }
        Map<String, List<TaskShape>> byRole = demand.clearsAll()
                ? framework.roles().stream().collect(Collectors.toMap(r -> r, r -> List.<TaskShape>of()))
                : demand.byRole();
        byRole.forEach((role, shapes) -> ctx.allocator().declareDemand(framework.id(), role, shapes));
        allocation.request();
        log.info("Framework {} declared its demand: {}", framework, demand.clearsAll() ? "none" : byRole);
        return CallResult.accepted();
    }

    private void revive(Framework framework, Set<String> roles) {
        Set<String> which = rolesOrAll(framework, roles);
        if (which.isEmpty()) {
            log.debug("Framework {} revived roles {}, none of which it has", framework, roles);
            return;
        }
        ctx.allocator().revive(framework.id(), which);
        allocation.request();
        log.debug("Framework {} revived offers for roles {}", framework, which);
    }

    private void suppress(Framework framework, Set<String> roles) {
        Set<String> which = rolesOrAll(framework, roles);
        if (which.isEmpty()) {
            log.debug("Framework {} suppressed roles {}, none of which it has", framework, roles);
            return;
        }
        ctx.allocator().suppress(framework.id(), which);
        log.debug("Framework {} suppressed offers for roles {}", framework, which);
    }

    /**
     * The framework's roles among {@code roles}; all of its roles when none are named. Empty only
     * when roles were named and none is the framework's (the allocator would read empty as "all").
     */
    private static Set<String> rolesOrAll(Framework framework, Set<String> roles) {
        if (roles.isEmpty()) {
            return framework.roles();
        }
        Set<String> which = new HashSet<>(roles);
        which.retainAll(framework.roles());
        return which;
    }

    private void kill(Framework framework, Call.Kill kill) {
        Optional<Task> task = ctx.tasks().get(framework.id(), MesosIds.of(kill.getTaskId()));
        Optional<Agent> agent = task.flatMap(t -> ctx.agents().reachable(t.agentId())).filter(Agent::isConnected);
        if (task.isEmpty() || task.get().state().isTerminal() || agent.isEmpty()) {
            // Mesos answers a kill it cannot carry out with a reconciliation of that task.
            Optional<AgentId> agentId = kill.hasAgentId() ? Optional.of(MesosIds.of(kill.getAgentId()))
                    : task.map(Task::agentId);
            var answer = reconciliation.answer(framework, kill.getTaskId(), agentId);
            answer.ifPresent(status -> framework.send(
                    Events.update(StatusUpdates.forFramework(status, framework.isPartitionAware()))));
            log.info("Framework {} asked to kill task {}, which is not running where the master can reach it;"
                    + " answered {}", framework, kill.getTaskId().getValue(),
                    answer.map(s -> s.getState().toString()).orElse("nothing yet (its agent may come back)"));
            return;
        }
        Protos.KillPolicy policy = kill.hasKillPolicy() ? kill.getKillPolicy()
                : task.get().info().hasKillPolicy() ? task.get().info().getKillPolicy() : null;
        agent.get().send(new AgentEvent.Kill(MesosIds.proto(framework.id()), kill.getTaskId(), policy));
        log.info("Killing task {} of framework {} on agent {}", kill.getTaskId().getValue(), framework, agent.get());
    }

    private void acknowledge(Framework framework, Call.Acknowledge ack) {
        Optional<Task> task = ctx.tasks().get(framework.id(), MesosIds.of(ack.getTaskId()));
        // The task's own agent when the master knows the task; else the one the framework names.
        AgentId agentId = task.map(Task::agentId).orElseGet(() -> MesosIds.of(ack.getAgentId()));
        boolean sent = ctx.agents().reachable(agentId)
                .map(a -> a.send(new AgentEvent.Acknowledge(MesosIds.proto(framework.id()), ack.getTaskId(), ack.getUuid())))
                .orElse(false);
        if (!sent) {
            log.warn("Acknowledgement of task {} of framework {} not forwarded: agent {} is not connected",
                    ack.getTaskId().getValue(), framework, agentId);
        }
        task.filter(t -> t.unacknowledgedUuid().map(ack.getUuid()::equals).orElse(false)).ifPresent(t -> {
            t.acknowledged();
            if (t.state().isTerminal()) {
                ctx.tasks().complete(t);
            }
        });
    }

    private void message(Framework framework, Call.Message message) {
        AgentId agentId = MesosIds.of(message.getAgentId());
        boolean sent = ctx.agents().reachable(agentId)
                .map(a -> a.send(new AgentEvent.Message(MesosIds.proto(framework.id()), message.getExecutorId(),
                        message.getData())))
                .orElse(false);
        if (!sent) {
            log.warn("Message from framework {} to executor {} dropped: agent {} is not connected", framework,
                    message.getExecutorId().getValue(), agentId);
        }
    }
}
