package io.tandem.master;

import io.tandem.master.maintenance.MachineId;
import io.tandem.master.maintenance.MachineMode;
import io.tandem.master.maintenance.MaintenanceMessages;
import io.tandem.master.maintenance.MaintenanceState;
import io.tandem.master.maintenance.Unavailability;
import io.tandem.model.FrameworkId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.allocator.Protos.InverseOfferStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Inverse offers, as Mesos makes them: with every allocation run, each framework running tasks on an
 * agent of a DRAINING machine is asked to give the whole agent back by the machine's unavailability,
 * unless it holds an inverse offer for that agent already or answered within its filter's
 * {@code refuse_seconds} (5 s by default). Its answer (ACCEPT_INVERSE_OFFERS or DECLINE_INVERSE_OFFERS)
 * is recorded for GET_MAINTENANCE_STATUS; it is advice to the operator, and changes nothing else. An
 * inverse offer that no longer holds (the machine went DOWN or UP, its window moved, the agent left) is
 * rescinded (RESCIND_INVERSE_OFFER); one whose framework disconnected is dropped silently.
 *
 * <p>Owned by the master loop thread.
 */
final class InverseOffers {
    private static final Logger log = LoggerFactory.getLogger(InverseOffers.class);

    private final MasterContext ctx;

    InverseOffers(MasterContext ctx) {
        this.ctx = ctx;
    }

    /** Drops inverse offers that no longer hold, then makes the ones due; one INVERSE_OFFERS event per framework. */
    void run(Instant now) {
        Maintenance books = ctx.maintenance();
        withdrawStale(books);
        if (books.state().draining().isEmpty()) {
            return;
        }
        Map<FrameworkId, List<Protos.InverseOffer>> byFramework = new LinkedHashMap<>();
        Set<Maintenance.FrameworkOnAgent> holding = new HashSet<>();
        books.outstanding.values().forEach(o -> holding.add(new Maintenance.FrameworkOnAgent(o.frameworkId(), o.agentId())));
        for (Agent agent : ctx.agents().allReachable()) {
            Optional<MachineId> machine = books.machineOf(agent);
            Optional<Unavailability> unavailability = books.unavailabilityOf(agent);
            if (machine.isEmpty() || unavailability.isEmpty()) {
                continue;
            }
            for (Framework framework : frameworksOn(agent)) {
                var key = new Maintenance.FrameworkOnAgent(framework.id(), agent.id());
                Instant refusedUntil = books.refusedUntil.get(key);
                if (!holding.contains(key) && (refusedUntil == null || !now.isBefore(refusedUntil))) {
                    byFramework.computeIfAbsent(framework.id(), f -> new ArrayList<>())
                            .add(make(books, framework, agent, machine.get(), unavailability.get(), now));
                }
            }
        }
        byFramework.forEach((id, offers) -> ctx.frameworks().get(id).ifPresent(f -> f.send(Events.inverseOffers(offers))));
    }

    /** Records a new inverse offer (and an UNKNOWN answer, unless the framework answered for the machine before). */
    private Protos.InverseOffer make(Maintenance books, Framework framework, Agent agent, MachineId machine,
                                     Unavailability unavailability, Instant now) {
        Maintenance.InverseOffer offer = new Maintenance.InverseOffer(ctx.ids().nextOffer(), framework.id(),
                framework.streamId().orElseThrow(), agent.id(), machine, unavailability);
        books.outstanding.put(offer.id(), offer);
        books.answers.computeIfAbsent(machine, m -> new LinkedHashMap<>()).putIfAbsent(framework.id(),
                new Maintenance.Answer(InverseOfferStatus.Status.UNKNOWN, now));
        log.debug("Inverse offer {} to framework {} for agent {} on DRAINING machine {}", offer.id(), framework, agent,
                machine);
        return toProto(offer, agent);
    }

    /** Connected frameworks with a task on the agent that has not ended. */
    private Set<Framework> frameworksOn(Agent agent) {
        Set<Framework> frameworks = new LinkedHashSet<>();
        for (Task task : ctx.tasks().onAgent(agent.id())) {
            if (!task.state().isTerminal()) {
                ctx.frameworks().get(task.frameworkId()).filter(Framework::isConnected).ifPresent(frameworks::add);
            }
        }
        return frameworks;
    }

    private void withdrawStale(Maintenance books) {
        MaintenanceState state = books.state();
        // A framework torn down no longer answers for anything.
        books.answers.values().forEach(byFramework -> byFramework.keySet().removeIf(id -> ctx.frameworks().get(id).isEmpty()));
        for (Maintenance.InverseOffer offer : List.copyOf(books.outstanding.values())) {
            Optional<Framework> framework = ctx.frameworks().get(offer.frameworkId()).filter(Framework::isConnected);
            boolean sameStream = framework.flatMap(Framework::streamId).map(offer.streamId()::equals).orElse(false);
            boolean holds = ctx.agents().reachable(offer.agentId()).isPresent()
                    && state.mode(offer.machine()) == MachineMode.DRAINING
                    && state.unavailability(offer.machine()).map(offer.unavailability()::equals).orElse(false);
            if (sameStream && holds) {
                continue;
            }
            books.outstanding.remove(offer.id());
            if (sameStream) {
                framework.get().send(Events.rescindInverseOffer(MesosIds.proto(offer.id())));
                log.debug("Rescinded inverse offer {} of framework {}: it no longer holds", offer.id(), offer.frameworkId());
            }
        }
    }

    /**
     * After the schedule or the modes changed: answers about machines that are no longer DRAINING, or whose
     * window moved, are forgotten with the filters on their agents (the question asked is a new one).
     */
    void maintenanceChanged(MaintenanceState before, MaintenanceState after) {
        Maintenance books = ctx.maintenance();
        for (MachineId machine : List.copyOf(books.answers.keySet())) {
            boolean same = after.mode(machine) == MachineMode.DRAINING
                    && after.unavailability(machine).equals(before.unavailability(machine));
            if (!same) {
                books.answers.remove(machine);
            }
        }
        books.refusedUntil.keySet().removeIf(key -> ctx.agents().get(key.agentId())
                .map(agent -> !after.drainingUnavailability(agent.hostname(), agent.ip())
                        .equals(before.drainingUnavailability(agent.hostname(), agent.ip())))
                .orElse(true));
        withdrawStale(books);
    }

    /** ACCEPT_INVERSE_OFFERS or DECLINE_INVERSE_OFFERS: records the answer; ids not outstanding are ignored, as in Mesos. */
    void answer(Framework framework, List<Protos.OfferID> ids, Protos.Filters filters, boolean accept) {
        Maintenance books = ctx.maintenance();
        Instant now = ctx.now();
        Duration refuse = LaunchValidation.refuseFor(filters); // an unset Filters is the default instance
        InverseOfferStatus.Status status = accept ? InverseOfferStatus.Status.ACCEPT : InverseOfferStatus.Status.DECLINE;
        for (Protos.OfferID id : ids) {
            Maintenance.InverseOffer offer = books.outstanding.get(MesosIds.of(id));
            if (offer == null || !offer.frameworkId().equals(framework.id())) {
                log.warn("Framework {} answered inverse offer {}, which is not one of its outstanding inverse offers;"
                        + " ignored", framework, id.getValue());
                continue;
            }
            books.outstanding.remove(offer.id());
            books.answers.computeIfAbsent(offer.machine(), m -> new LinkedHashMap<>())
                    .put(framework.id(), new Maintenance.Answer(status, now));
            books.refusedUntil.put(new Maintenance.FrameworkOnAgent(framework.id(), offer.agentId()), now.plus(refuse));
            log.info("Framework {} {} the inverse offer for agent {} on machine {}", framework,
                    accept ? "accepted" : "declined", offer.agentId(), offer.machine());
        }
    }

    private static Protos.InverseOffer toProto(Maintenance.InverseOffer offer, Agent agent) {
        return Protos.InverseOffer.newBuilder()
                .setId(MesosIds.proto(offer.id()))
                .setUrl(agent.url())
                .setFrameworkId(MesosIds.proto(offer.frameworkId()))
                .setAgentId(MesosIds.proto(offer.agentId()))
                .setUnavailability(MaintenanceMessages.proto(offer.unavailability()))
                .build();
    }
}
