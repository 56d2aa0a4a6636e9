package io.tandem.master;

import io.tandem.allocator.Grant;
import io.tandem.api.ResourceMapping;
import io.tandem.master.maintenance.MaintenanceMessages;
import io.tandem.model.AgentId;
import io.tandem.model.FrameworkId;
import io.tandem.model.Resources;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import org.apache.mesos.v1.Protos;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the allocator and turns its grants into offers; gives resources back to it. Allocation runs
 * every {@code allocationInterval} and soon after anything frees or adds resources; many such
 * triggers before a run coalesce into one ({@link #request()}).
 *
 * <p>Owned by the master loop thread; {@code loop} is that thread's executor, used to run a
 * requested allocation after the events already queued.
 */
final class Allocation {
    private static final Logger log = LoggerFactory.getLogger(Allocation.class);

    private final MasterContext ctx;
    private final Executor loop;
    private final InverseOffers inverseOffers;
    private boolean requested;
    private Instant nextPeriodicRun;

    Allocation(MasterContext ctx, Executor loop) {
        this.ctx = ctx;
        this.loop = loop;
        this.inverseOffers = new InverseOffers(ctx);
        this.nextPeriodicRun = ctx.now().plus(ctx.config().allocationInterval());
    }

    /** The inverse offers made with each run (maintenance). */
    InverseOffers inverseOffers() {
        return inverseOffers;
    }

    /** Asks for an allocation run after the events already queued; repeated requests coalesce. */
    void request() {
        if (!requested) {
            requested = true;
            loop.execute(this::runIfRequested);
        }
    }

    private void runIfRequested() {
        if (requested) {
            run();
        }
    }

    /** Runs the periodic allocation when its time has come; called on every tick. */
    void onTick(Instant now) {
        if (!now.isBefore(nextPeriodicRun)) {
            run();
        }
    }

    /**
     * Allocates now and sends the resulting offers, one OFFERS event per framework; then the inverse
     * offers due for agents of DRAINING machines.
     */
    void run() {
        requested = false;
        Instant now = ctx.now();
        nextPeriodicRun = now.plus(ctx.config().allocationInterval());
        Map<FrameworkId, List<Protos.Offer>> byFramework = new LinkedHashMap<>();
        for (Grant grant : ctx.allocator().allocate(now)) {
            makeOffer(grant, now).ifPresent(offer -> byFramework
                    .computeIfAbsent(grant.frameworkId(), k -> new ArrayList<>()).add(offer));
        }
        byFramework.forEach((frameworkId, offers) ->
                ctx.frameworks().get(frameworkId).ifPresent(f -> f.send(Events.offers(offers))));
        inverseOffers.run(now);
    }

    private Optional<Protos.Offer> makeOffer(Grant grant, Instant now) {
        Optional<Framework> framework = ctx.frameworks().get(grant.frameworkId()).filter(Framework::isConnected);
        Optional<Agent> agent = ctx.agents().reachable(grant.agentId()).filter(Agent::isConnected);
        if (framework.isEmpty() || agent.isEmpty()) {
            // An agent between a broken stream and its next SUBSCRIBE could not launch anything: offer
            // nothing on it. Give the grant back rather than lose it.
            log.debug("Not offering {} on agent {} to framework {}: one of them is not connected now",
                    grant.resources(), grant.agentId(), grant.frameworkId());
            recover(grant.frameworkId(), grant.agentId(), grant.role(), grant.resources(), Duration.ZERO);
            return Optional.empty();
        }
        Offer offer = new Offer(ctx.ids().nextOffer(), grant.frameworkId(), grant.agentId(), grant.role(),
                grant.resources(), now);
        ctx.offers().add(offer);
        log.debug("Offering {} on agent {} to framework {} for role {} as offer {}", grant.resources(),
                agent.get(), framework.get(), grant.role(), offer.id());
        return Optional.of(toProto(offer, framework.get(), agent.get()));
    }

    /**
     * As Mesos makes an offer: allocation_info (offer and resources) for every framework, MULTI_ROLE
     * or not; reservations in the format the framework understands (RESERVATION_REFINEMENT or not); the
     * machine's unavailability while it is DRAINING for maintenance.
     */
    private Protos.Offer toProto(Offer offer, Framework framework, Agent agent) {
        ResourceMapping.Format format = framework.understandsReservationRefinement()
                ? ResourceMapping.Format.POST_RESERVATION_REFINEMENT
                : ResourceMapping.Format.PRE_RESERVATION_REFINEMENT;
        Protos.Offer.Builder proto = Protos.Offer.newBuilder();
        ctx.maintenance().unavailabilityOf(agent).ifPresent(u -> proto.setUnavailability(MaintenanceMessages.proto(u)));
        return proto
                .setId(MesosIds.proto(offer.id()))
                .setFrameworkId(MesosIds.proto(offer.frameworkId()))
                .setAgentId(MesosIds.proto(offer.agentId()))
                .setHostname(agent.hostname())
                .setUrl(agent.url())
                .addAllResources(ResourceMapping.toMesos(offer.resources(), offer.role(), format))
                .addAllAttributes(agent.info().getAttributesList())
                .setAllocationInfo(Protos.Resource.AllocationInfo.newBuilder().setRole(offer.role()))
                .build();
    }

    /**
     * Gives resources a framework holds on an agent under {@code role} back to the allocator; with a
     * positive {@code refuseFor} that agent is not offered to the framework again for that long.
     */
    void recover(FrameworkId frameworkId, AgentId agentId, String role, Resources resources, Duration refuseFor) {
        if (resources.isEmpty() || ctx.agents().reachable(agentId).isEmpty()) {
            return; // An unreachable agent is out of the allocator, with everything allocated on it.
        }
        try {
            ctx.allocator().recover(frameworkId, agentId, role, resources, refuseFor, ctx.now());
        } catch (IllegalArgumentException e) {
            // The master's books and the allocator's disagree; log it loudly but keep the master running.
            log.error("Could not return {} of framework {} on agent {} to the allocator", resources, frameworkId,
                    agentId, e);
        }
    }

    void recover(Offer offer, Duration refuseFor) {
        recover(offer.frameworkId(), offer.agentId(), offer.role(), offer.resources(), refuseFor);
    }

    /** Withdraws an outstanding offer: its resources go back, and the framework is told if {@code notify}. */
    void rescind(Offer offer, boolean notify) {
        ctx.offers().remove(offer.id());
        recover(offer, Duration.ZERO);
        if (notify) {
            ctx.frameworks().get(offer.frameworkId())
                    .ifPresent(f -> f.send(Events.rescind(MesosIds.proto(offer.id()))));
        }
        log.debug("Rescinded offer {} of {} on agent {} from framework {}", offer.id(), offer.resources(),
                offer.agentId(), offer.frameworkId());
    }

    /** Rescinds offers held longer than the offer timeout, if there is one. */
    void expireOffers(Instant now) {
        ctx.config().offerTimeout().ifPresent(timeout -> {
            List<Offer> expired = ctx.offers().olderThan(timeout, now);
            for (Offer offer : expired) {
                log.info("Offer {} to framework {} timed out after {}; rescinding it", offer.id(),
                        offer.frameworkId(), HumanDuration.format(timeout));
                rescind(offer, true);
            }
            if (!expired.isEmpty()) {
                request();
            }
        });
    }
}
