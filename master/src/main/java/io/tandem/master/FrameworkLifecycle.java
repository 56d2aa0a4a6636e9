package io.tandem.master;

import io.tandem.api.agent.AgentEvent;
import io.tandem.model.FrameworkId;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A framework's life: subscribe (new, re-subscribe, or failover of a disconnected one), disconnect
 * when its stream breaks, and removal (TEARDOWN, or its failover timeout ran out).
 *
 * <p>Owned by the master loop thread.
 */
final class FrameworkLifecycle {
    private static final Logger log = LoggerFactory.getLogger(FrameworkLifecycle.class);

    /** How long a framework recovered from an agent's report waits for its scheduler, at least. */
    static final Duration RECOVERED_GRACE = Duration.ofMinutes(10);

    private final MasterContext ctx;
    private final Allocation allocation;

    FrameworkLifecycle(MasterContext ctx, Allocation allocation) {
        this.ctx = ctx;
        this.allocation = allocation;
    }

    /**
     * Attaches a subscriber's stream. The stream always gets a first event: SUBSCRIBED, or ERROR
     * (then closes) when the framework id names a framework that was torn down.
     *
     * @return the framework id, or empty when refused
     */
    Optional<FrameworkId> subscribe(Call.Subscribe subscribe, EventSink<Event> stream, String streamId) {
        FrameworkInfo info = subscribe.getFrameworkInfo();
        Instant now = ctx.now();
        if (info.hasId() && ctx.frameworks().wasRemoved(MesosIds.of(info.getId()))) {
            log.info("Refused subscription of framework {} ({}): it was torn down", info.getId().getValue(),
                    info.getName());
            stream.send(Events.error("Framework has been removed"));
            stream.close();
            return Optional.empty();
        }
        Optional<Framework> known = info.hasId() ? ctx.frameworks().get(MesosIds.of(info.getId())) : Optional.empty();
        Framework framework = known.isPresent()
                ? resubscribe(known.get(), info, stream, streamId, now)
                : add(info, stream, streamId, now);
        Set<String> suppressed = new HashSet<>(subscribe.getSuppressedRolesList());
        suppressed.retainAll(framework.roles());
        if (!suppressed.isEmpty()) {
            ctx.allocator().suppress(framework.id(), suppressed);
        }
        framework.send(Events.subscribed(MesosIds.proto(framework.id()), heartbeatSeconds(), ctx.masterInfo()));
        allocation.request();
        return Optional.of(framework.id());
    }

    private Framework add(FrameworkInfo info, EventSink<Event> stream, String streamId, Instant now) {
        FrameworkId id = info.hasId() ? MesosIds.of(info.getId()) : ctx.ids().nextFramework();
        FrameworkInfo withId = info.toBuilder().setId(MesosIds.proto(id)).build();
        Framework framework = new Framework(id, withId, now);
        framework.connect(withId, stream, streamId, now, false);
        ctx.frameworks().add(framework);
        ctx.allocator().addFramework(id, framework.roles());
        log.info("Framework {} subscribed with roles {}", framework, framework.roles());
        return framework;
    }

    private Framework resubscribe(Framework framework, FrameworkInfo info, EventSink<Event> stream,
                                  String streamId, Instant now) {
        boolean wasConnected = framework.isConnected();
        // The new scheduler instance never saw the old offers; take them back quietly, as Mesos does.
        for (Offer offer : ctx.offers().ofFramework(framework.id())) {
            allocation.rescind(offer, false);
        }
        Set<String> oldRoles = framework.roles();
        FrameworkInfo withId = info.toBuilder().setId(MesosIds.proto(framework.id())).build();
        framework.connect(withId, stream, streamId, now, true).ifPresent(old -> {
            old.send(Events.error("Framework failed over: a new subscription replaced this stream"));
            old.close();
        });
        if (!oldRoles.equals(framework.roles())) {
            ctx.allocator().updateFramework(framework.id(), framework.roles());
        }
        if (!wasConnected) {
            ctx.allocator().activateFramework(framework.id());
        }
        log.info("Framework {} re-subscribed with roles {}{}", framework, framework.roles(),
                wasConnected ? ", replacing its previous stream" : " after failing over");
        return framework;
    }

    /**
     * Adds a framework known only from an agent's report (the master restarted and the agent came
     * back first): disconnected, holding its tasks until its scheduler subscribes again. It waits at
     * least {@link #RECOVERED_GRACE}, because a failover timeout of 0 would otherwise kill every task
     * of it the moment the master restarts.
     */
    Framework recover(FrameworkInfo info) {
        return recover(info, "an agent's report");
    }

    /** As {@link #recover(FrameworkInfo)}, for a framework learnt from {@code source} (the registry, a report). */
    Framework recover(FrameworkInfo info, String source) {
        Instant now = ctx.now();
        FrameworkId id = MesosIds.of(info.getId());
        Framework framework = new Framework(id, info, now);
        Duration wait = failoverTimeout(info).compareTo(RECOVERED_GRACE) > 0 ? failoverTimeout(info) : RECOVERED_GRACE;
        framework.disconnect(now.plus(wait));
        ctx.frameworks().add(framework);
        ctx.allocator().addFramework(id, framework.roles());
        ctx.allocator().deactivateFramework(id);
        log.info("Framework {} recovered from {}; it has {} to subscribe again", framework, source,
                HumanDuration.format(wait));
        return framework;
    }

    /**
     * The stream a framework subscribed with broke (the scheduler went away). Ignored if the
     * framework has since subscribed again with another stream.
     */
    void streamBroken(FrameworkId id, String streamId) {
        Optional<Framework> found = ctx.frameworks().get(id)
                .filter(f -> f.streamId().map(streamId::equals).orElse(false));
        if (found.isEmpty()) {
            return;
        }
        Framework framework = found.get();
        Duration failover = failoverTimeout(framework.info());
        if (failover.isZero()) {
            remove(framework, "its stream closed and its failover timeout is 0");
            return;
        }
        Instant now = ctx.now();
        framework.disconnect(now.plus(failover));
        ctx.allocator().deactivateFramework(id);
        for (Offer offer : ctx.offers().ofFramework(id)) {
            allocation.rescind(offer, false);
        }
        allocation.request();
        log.info("Framework {} disconnected; its tasks keep running while it may fail over, for {}", framework,
                HumanDuration.format(failover));
    }

    /** Tears down frameworks whose failover timeout ran out. */
    void expireFailovers(Instant now) {
        for (Framework framework : ctx.frameworks().failoverExpired(now)) {
            remove(framework, "it did not fail over within "
                    + HumanDuration.format(failoverTimeout(framework.info())));
        }
    }

    /**
     * Removes a framework: kills its tasks (agents are told to shut it down), drops its offers,
     * frees everything it held and closes its stream. Its id may not subscribe again.
     */
    void remove(Framework framework, String why) {
        Instant now = ctx.now();
        for (Offer offer : ctx.offers().ofFramework(framework.id())) {
            ctx.offers().remove(offer.id());
        }
        int killed = 0;
        for (Task task : ctx.tasks().ofFramework(framework.id())) {
            ctx.tasks().release(task);
            if (!task.state().isTerminal()) {
                killed++;
                task.record(StatusUpdates.fromMaster(MesosIds.proto(task.id()), task.agentId(),
                        Protos.TaskState.TASK_KILLED, Protos.TaskStatus.Reason.REASON_FRAMEWORK_REMOVED,
                        "Framework removed: " + why, now));
            }
            ctx.tasks().complete(task);
        }
        AgentEvent shutdown = new AgentEvent.ShutdownFramework(MesosIds.proto(framework.id()));
        ctx.agents().allReachable().forEach(agent -> agent.send(shutdown));
        ctx.allocator().removeFramework(framework.id());
        framework.closeStream();
        ctx.frameworks().remove(framework, now);
        allocation.request();
        log.info("Framework {} removed ({} tasks killed): {}", framework, killed, why);
    }

    private double heartbeatSeconds() {
        return ctx.config().heartbeatInterval().toMillis() / 1000.0;
    }

    static Duration failoverTimeout(FrameworkInfo info) {
        double seconds = info.getFailoverTimeout();
        if (!(seconds > 0)) {
            return Duration.ZERO;
        }
        // Mesos caps nothing here; a week-long timeout is legal. Cap only what Duration cannot hold.
        return seconds >= Long.MAX_VALUE / 1_000_000_000L ? Duration.ofSeconds(Long.MAX_VALUE / 1_000_000_000L)
                : Duration.ofNanos((long) (seconds * 1e9));
    }
}
