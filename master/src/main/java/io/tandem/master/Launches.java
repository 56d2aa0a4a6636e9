package io.tandem.master;

import io.tandem.api.agent.AgentEvent;
import java.time.Instant;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out ACCEPT and DECLINE: the one place where an {@link AcceptPlan} changes state.
 *
 * <p>Owned by the master loop thread.
 */
final class Launches {
    private static final Logger log = LoggerFactory.getLogger(Launches.class);

    private final MasterContext ctx;
    private final Allocation allocation;

    Launches(MasterContext ctx, Allocation allocation) {
        this.ctx = ctx;
        this.allocation = allocation;
    }

    /** A 400 naming the operation when a RESERVE or UNRESERVE in it is invalid; nothing changes then. */
    CallResult accept(Framework framework, Call.Accept accept) {
        AcceptPlan plan;
        try {
            plan = LaunchValidation.decide(framework, accept, ctx.offers(), ctx.agents(), ctx.tasks());
        } catch (IllegalArgumentException e) {
            return CallResult.badRequest("Invalid ACCEPT: " + e.getMessage());
        }
        apply(framework, plan);
        return CallResult.accepted();
    }

    /** Declines offers of this framework; unknown or foreign offer ids are ignored, as in Mesos. */
    void decline(Framework framework, Call.Decline decline) {
        var refuse = LaunchValidation.refuseFor(decline.getFilters());
        for (Protos.OfferID id : decline.getOfferIdsList()) {
            ctx.offers().get(MesosIds.of(id))
                    .filter(offer -> offer.frameworkId().equals(framework.id()))
                    .ifPresentOrElse(offer -> {
                        ctx.offers().remove(offer.id());
                        allocation.recover(offer, refuse);
                        log.debug("Framework {} declined offer {} for {}", framework, offer.id(),
                                HumanDuration.format(refuse));
                    }, () -> log.debug("Framework {} declined offer {}, which is not outstanding", framework,
                            id.getValue()));
        }
        allocation.request();
    }

    void apply(Framework framework, AcceptPlan plan) {
        Instant now = ctx.now();
        plan.consumed().forEach(offer -> ctx.offers().remove(offer.id()));
        for (OfferReservations.Conversion c : plan.conversions()) {
            ctx.allocator().updateAllocation(framework.id(), c.agentId(), c.role(), c.from(), c.to());
            ctx.agents().get(c.agentId()).ifPresent(a -> a.reshaped(c.from(), c.to()));
            log.info("Framework {} {} {} on agent {} (was {})", framework, c.to().list().getFirst().isReserved()
                    ? "reserved" : "unreserved", c.to(), c.agentId(), c.from());
        }
        for (AcceptPlan.Launch launch : plan.launches()) {
            launch(framework, launch, now);
        }
        for (AcceptPlan.Rejection rejection : plan.rejections()) {
            TaskStatus status = StatusUpdates.fromMaster(rejection.task().getTaskId(),
                    MesosIds.of(rejection.task().getAgentId()), rejection.state(), rejection.reason(),
                    rejection.message(), now);
            log.info("Task {} of framework {} is {}: {}", rejection.task().getTaskId().getValue(), framework.id(),
                    rejection.state(), rejection.message());
            framework.send(Events.update(StatusUpdates.forFramework(status, framework.isPartitionAware())));
        }
        for (AcceptPlan.Returned returned : plan.returned()) {
            allocation.recover(framework.id(), returned.agentId(), returned.role(), returned.resources(),
                    returned.refuseFor());
        }
        allocation.request();
    }

    private void launch(Framework framework, AcceptPlan.Launch launch, Instant now) {
        Protos.TaskInfo info = launch.task();
        TaskStatus staging = StatusUpdates.fromMaster(info.getTaskId(), launch.agentId(),
                Protos.TaskState.TASK_STAGING, null, "Task is being launched", now);
        Task task = new Task(framework.id(), launch.agentId(), launch.role(), info, launch.resources(), staging);
        ctx.tasks().add(task, launch.executorResources());
        Agent agent = ctx.agents().get(launch.agentId()).orElseThrow();
        agent.send(new AgentEvent.Launch(framework.info(), info));
        log.info("Launching task {} of framework {} on agent {} with {}", info.getTaskId().getValue(), framework,
                agent, launch.resources().plus(launch.executorResources()));
    }
}
