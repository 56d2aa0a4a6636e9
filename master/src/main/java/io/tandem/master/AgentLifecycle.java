package io.tandem.master;

import io.tandem.allocator.Grant;
import io.tandem.api.agent.AgentCall;
import io.tandem.api.agent.AgentEvent;
import io.tandem.model.AgentId;
import io.tandem.model.Resources;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An agent's life: it joins (or re-joins, keeping its id and tasks), reports, and is marked
 * unreachable when its reports stop; it may then come back. Also checks and dispatches the
 * calls an agent makes on its stream.
 *
 * <p>Owned by the master loop thread.
 */
final class AgentLifecycle {
    private static final Logger log = LoggerFactory.getLogger(AgentLifecycle.class);

    private final MasterContext ctx;
    private final Allocation allocation;
    private final AgentTaskSync sync;
    private final TaskUpdates updates;
    private final Durability durability;
    /** With a removal rate limit: the earliest time the next silent agent may be marked unreachable. */
    private Instant nextRemoval = Instant.MIN;
    private final Set<AgentId> waitingForRemoval = new HashSet<>();

    AgentLifecycle(MasterContext ctx, Allocation allocation, AgentTaskSync sync, TaskUpdates updates,
                   Durability durability) {
        this.ctx = ctx;
        this.durability = durability;
        this.allocation = allocation;
        this.sync = sync;
        this.updates = updates;
    }

    AgentId subscribe(AgentAdmission admission, EventSink<AgentEvent> stream, String streamId) {
        if (admission.requestedId().map(ctx.agents()::isGone).orElse(false)) {
            log.info("Refused agent {} ({}): an operator marked it gone", admission.requestedId().get(),
                    admission.info().getHostname());
            stream.close();
            return null;
        }
        if (ctx.maintenance().state().isDown(admission.info().getHostname(), admission.ip())) {
            log.info("Refused agent {} ({} at {}): its machine is DOWN for maintenance until STOP_MAINTENANCE",
                    admission.requestedId().map(AgentId::value).orElse("without id"), admission.info().getHostname(),
                    admission.ip());
            stream.close();
            return null;
        }
        Instant now = ctx.now();
        Optional<Agent> known = admission.requestedId().flatMap(ctx.agents()::get);
        AgentId id = known.map(Agent::id).or(admission::requestedId).orElseGet(ctx.ids()::nextAgent);
        Protos.AgentInfo info = admission.info().toBuilder().setId(MesosIds.proto(id)).build();
        Agent agent = known.orElseGet(() -> new Agent(id, info, admission.ip(), admission.total(), now));
        boolean wasReachable = agent.isReachable();
        // The allocator forgets the agent and takes it back with what its tasks hold: its offers are void.
        for (Offer offer : ctx.offers().onAgent(id)) {
            allocation.rescind(offer, true);
        }
        ctx.allocator().removeAgent(id);
        agent.connect(info, admission.ip(), admission.total(), stream, streamId, now, known.isPresent()).ifPresent(EventSink::close);
        if (known.isEmpty()) {
            ctx.agents().add(agent);
        }
        ctx.recoveredAgents().arrived(id).ifPresent(entry -> entry.reservations().forEach(reservation ->
                agent.reshaped(Resources.parse(reservation.from()), Resources.parse(reservation.to()))));
        agent.send(new AgentEvent.Subscribed(MesosIds.proto(id), seconds(ctx.config().agentReportInterval()),
                seconds(ctx.config().agentTimeout())));
        sync.reconcile(agent, admission, known.isPresent());
        ctx.allocator().addAgent(id, admission.total());
        replayReservations(agent);
        for (var holding : ctx.tasks().heldOn(id)) {
            try {
                ctx.allocator().addAllocated(new Grant(holding.frameworkId(), holding.role(), id, holding.resources()));
            } catch (IllegalArgumentException e) {
                log.error("Agent {} rejoined with less than its tasks hold", agent, e);
            }
        }
        allocation.request();
        if (known.isEmpty()) {
            log.info("Agent {} joined with {}", agent, admission.total());
        } else {
            log.info("Agent {} re-joined{} with {}", agent, wasReachable ? "" : " after being unreachable",
                    admission.total());
        }
        return id;
    }

    /**
     * The agent reports its resources unreserved (dynamic reservations live in the master), so they are made
     * again, in order, while everything on the agent is still free. If the agent came back with less, the
     * reservations are dropped.
     */
    private void replayReservations(Agent agent) {
        List<Agent.Reshape> reservations = agent.reservations();
        for (int i = 0; i < reservations.size(); i++) {
            try {
                ctx.allocator().updateAvailable(agent.id(), reservations.get(i).from(), reservations.get(i).to());
            } catch (IllegalArgumentException e) {
                log.warn("Agent {} came back without room for its dynamic reservations; dropping them: {}", agent,
                        e.getMessage());
                agent.forgetReservations();
                for (int j = i - 1; j >= 0; j--) {
                    ctx.allocator().updateAvailable(agent.id(), reservations.get(j).to(), reservations.get(j).from());
                }
                return;
            }
        }
    }

    /** Checks that the call comes from a subscribed agent on its current stream, then handles it. */
    CallResult handle(AgentCall call, AgentId agentId, String streamId) {
        Optional<Agent> found = ctx.agents().reachable(agentId);
        if (found.isEmpty() || !found.get().streamId().map(streamId::equals).orElse(false)) {
            return CallResult.forbidden("Agent " + agentId + " is not subscribed with stream " + streamId
                    + "; subscribe again");
        }
        Agent agent = found.get();
        switch (call) {
            case AgentCall.Report report -> agent.reported(report, ctx.now());
            case AgentCall.Update update -> updates.update(agent, update);
            case AgentCall.Updates batch -> batch.updates().forEach(update -> updates.update(agent, update));
            case AgentCall.Message message -> updates.message(agent, message);
            case AgentCall.ExecutorExited exited ->
                    updates.executorExited(agent, exited.frameworkId(), exited.executorId(), exited.status());
            case AgentCall.Subscribe subscribe -> {
                return CallResult.badRequest("SUBSCRIBE must not carry a stream id; it opens a new stream");
            }
        }
        return CallResult.accepted();
    }

    /** The agent's stream broke; it stays reachable (and keeps its tasks) until its reports stop. */
    void streamBroken(AgentId id, String streamId) {
        ctx.agents().get(id).filter(a -> a.streamId().map(streamId::equals).orElse(false)).ifPresent(agent -> {
            agent.streamBroke();
            log.info("Agent {} lost its stream; it has {} to subscribe again", agent,
                    HumanDuration.format(ctx.config().agentTimeout()));
        });
    }

    /** Marks agents that stopped reporting unreachable. */
    void expireSilent(Instant now) {
        List<Agent> silent = ctx.agents().silentFor(ctx.config().agentTimeout(), now).stream()
                .sorted(java.util.Comparator.comparing(Agent::lastSeen)).toList();
        waitingForRemoval.retainAll(silent.stream().map(Agent::id).toList());
        for (Agent agent : silent) {
            var limit = ctx.config().agentRemovalRateLimit();
            if (limit.isPresent() && now.isBefore(nextRemoval)) {
                if (waitingForRemoval.add(agent.id())) {
                    log.info("Agent {} is silent, but the removal rate limit {} lets the next agent be marked "
                            + "unreachable at {}", agent, limit.get(), nextRemoval);
                }
                continue;
            }
            markUnreachable(agent, now);
            waitingForRemoval.remove(agent.id());
            limit.ifPresent(l -> nextRemoval = now.plus(l.interval()));
        }
        for (var entry : ctx.recoveredAgents().expire(now)) {
            log.warn("Agent {} ({}) did not come back within {} of the failover; it is forgotten", entry.id(),
                    entry.hostname(), HumanDuration.format(ctx.config().agentReregistrationTimeout()));
        }
    }

    private void markUnreachable(Agent agent, Instant now) {
        detach(agent);
        String why = "Agent " + agent + " is unreachable: no report for "
                + HumanDuration.format(ctx.config().agentTimeout());
        for (Task task : ctx.tasks().onAgent(agent.id())) {
            if (task.state().isTerminal()) {
                continue;
            }
            TaskStatus status = StatusUpdates.fromMaster(MesosIds.proto(task.id()), agent.id(),
                            Protos.TaskState.TASK_UNREACHABLE, TaskStatus.Reason.REASON_AGENT_REMOVED, why, now)
                    .toBuilder().setUnreachableTime(StatusUpdates.timeInfo(now)).build();
            task.record(status);
            log.info("Task {} is TASK_UNREACHABLE", task);
            ctx.frameworks().get(task.frameworkId()).ifPresent(framework -> framework.send(
                    Events.update(StatusUpdates.forFramework(status, framework.isPartitionAware()))));
        }
        ctx.frameworks().connected().forEach(f -> f.send(Events.agentLost(MesosIds.proto(agent.id()))));
        log.warn(why);
    }

    /**
     * MARK_AGENT_GONE: the operator says the agent will never come back (the machine was decommissioned).
     * Its tasks end as TASK_GONE_BY_OPERATOR (TASK_LOST to frameworks that are not partition-aware), its
     * offers are rescinded, its resources leave the cluster and a later SUBSCRIBE with its id is refused.
     */
    CallResult markGone(Protos.AgentID agentId) {
        if (agentId.getValue().isBlank()) {
            return CallResult.badRequest("Invalid MARK_AGENT_GONE: agent_id is missing");
        }
        AgentId id = MesosIds.of(agentId);
        Optional<Agent> found = ctx.agents().get(id);
        if (found.isEmpty()) {
            return CallResult.badRequest("Invalid MARK_AGENT_GONE: agent " + id + " is not known");
        }
        Agent agent = found.get();
        Instant now = ctx.now();
        // Frameworks hear of it once the registry holds the agent as gone, so no later leader takes it back.
        List<Runnable> tell = new java.util.ArrayList<>();
        if (agent.isReachable()) {
            detach(agent);
            ctx.frameworks().connected().forEach(f -> tell.add(() -> f.send(Events.agentLost(MesosIds.proto(id)))));
        }
        for (Task task : ctx.tasks().onAgent(id)) {
            boolean unreachable = task.state() == io.tandem.model.TaskState.TASK_UNREACHABLE;
            if (!task.state().isTerminal()) {
                TaskStatus status = StatusUpdates.fromMaster(MesosIds.proto(task.id()), id,
                        Protos.TaskState.TASK_GONE_BY_OPERATOR, TaskStatus.Reason.REASON_AGENT_REMOVED_BY_OPERATOR,
                        "Agent " + agent + " was marked gone by an operator", now);
                task.record(status);
                // A framework that is not partition-aware was told TASK_LOST when the agent became unreachable.
                ctx.frameworks().get(task.frameworkId()).filter(f -> !unreachable || f.isPartitionAware())
                        .ifPresent(framework -> tell.add(() -> framework.send(
                                Events.update(StatusUpdates.forFramework(status, framework.isPartitionAware())))));
            }
            ctx.tasks().release(task);
            ctx.tasks().complete(task);
        }
        ctx.agents().markGone(id);
        durability.then(() -> tell.forEach(Runnable::run));
        log.info("Agent {} was marked gone by an operator", agent);
        return CallResult.ok();
    }

    /** Ends the agent's stream, rescinds its offers and takes its resources out of the allocator. */
    private void detach(Agent agent) {
        agent.markUnreachable();
        for (Offer offer : ctx.offers().onAgent(agent.id())) {
            allocation.rescind(offer, true);
        }
        ctx.allocator().removeAgent(agent.id());
    }

    /** Sends every connected agent a heartbeat, so that broken streams are noticed. */
    void heartbeat() {
        AgentEvent heartbeat = new AgentEvent.Heartbeat();
        ctx.agents().allReachable().forEach(agent -> agent.send(heartbeat));
    }

    private static double seconds(java.time.Duration duration) {
        return duration.toMillis() / 1000.0;
    }
}
