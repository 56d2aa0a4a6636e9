package io.tandem.allocator;

import io.tandem.model.AgentId;
import io.tandem.model.FrameworkId;
import io.tandem.model.Resources;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every framework's offer filters, kept by agent: a round asks, agent by agent, which frameworks refused
 * something there, so the index is kept up to date as filters come (a decline) and go (expiry, revive, removal)
 * instead of being rebuilt each round. A second index, framework -> agents, makes revive and removal cost what
 * the framework has filtered, not the cluster's size. Expired filters are dropped when next looked at. Not
 * thread-safe; owned by the {@link Allocator}.
 */
final class OfferFilters {
    /**
     * A refusal, as Mesos has it: the framework does not want {@code refused} (or any part of it) from the agent
     * until {@code until}. More than that, e.g. once a task there has ended, is offered again at once.
     */
    record OfferFilter(Resources refused, Instant until) {}

    private final Map<AgentId, Map<FrameworkId, List<OfferFilter>>> byAgent = new HashMap<>();
    private final Map<FrameworkId, Set<AgentId>> agentsOf = new HashMap<>();

    void add(FrameworkId framework, AgentId agent, Resources refused, Instant until) {
        byAgent.computeIfAbsent(agent, a -> new HashMap<>(4)).computeIfAbsent(framework, f -> new ArrayList<>(2))
                .add(new OfferFilter(refused, until));
        agentsOf.computeIfAbsent(framework, f -> new HashSet<>()).add(agent);
    }

    /** Framework -> its filters on the agent (live view; empty if none). Do not change it while iterating it. */
    Map<FrameworkId, List<OfferFilter>> on(AgentId agent) {
        Map<FrameworkId, List<OfferFilter>> here = byAgent.get(agent);
        return here == null ? Map.of() : here;
    }

    /**
     * True if a filter of the framework in force at {@code now} covers everything the agent could offer it
     * ({@code offerable}); drops the framework's expired filters there.
     */
    boolean isFiltered(FrameworkId framework, AgentId agent, Resources offerable, Instant now) {
        Map<FrameworkId, List<OfferFilter>> here = byAgent.get(agent);
        List<OfferFilter> live = here == null ? null : here.get(framework);
        return live != null && isFiltered(framework, agent, live, offerable, now);
    }

    /** As {@link #isFiltered(FrameworkId, AgentId, Resources, Instant)}, given the framework's filters there. */
    boolean isFiltered(FrameworkId framework, AgentId agent, List<OfferFilter> live, Resources offerable, Instant now) {
        boolean covered = false;
        for (int i = live.size() - 1; i >= 0; i--) {
            OfferFilter f = live.get(i);
            if (!now.isBefore(f.until())) {
                live.remove(i);
            } else if (!covered && f.refused().contains(offerable)) {
                covered = true;
            }
        }
        if (live.isEmpty()) {
            forget(framework, agent);
        }
        return covered;
    }

    private void forget(FrameworkId framework, AgentId agent) {
        Map<FrameworkId, List<OfferFilter>> here = byAgent.get(agent);
        if (here != null && here.remove(framework) != null && here.isEmpty()) {
            byAgent.remove(agent);
        }
        Set<AgentId> agents = agentsOf.get(framework);
        if (agents != null && agents.remove(agent) && agents.isEmpty()) {
            agentsOf.remove(framework);
        }
    }

    /** Drops every filter of the framework (revive, removal). */
    void removeFramework(FrameworkId framework) {
        Set<AgentId> agents = agentsOf.remove(framework);
        if (agents == null) {
            return;
        }
        for (AgentId agent : agents) {
            Map<FrameworkId, List<OfferFilter>> here = byAgent.get(agent);
            here.remove(framework);
            if (here.isEmpty()) {
                byAgent.remove(agent);
            }
        }
    }

    /** Drops every filter on the agent. */
    void removeAgent(AgentId agent) {
        Map<FrameworkId, List<OfferFilter>> here = byAgent.remove(agent);
        if (here == null) {
            return;
        }
        for (FrameworkId framework : here.keySet()) {
            Set<AgentId> agents = agentsOf.get(framework);
            agents.remove(agent);
            if (agents.isEmpty()) {
                agentsOf.remove(framework);
            }
        }
    }
}
