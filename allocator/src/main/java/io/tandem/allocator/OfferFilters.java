package io.tandem.allocator;

import io.tandem.model.AgentId;
import io.tandem.model.FrameworkId;
import io.tandem.model.Resources;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every framework's offer filters, kept by agent: a round asks, agent by agent, which frameworks refused
 * something there, so the index is kept up to date as filters come (a decline) and go (expiry, revive, removal)
 * instead of being rebuilt each round. Each framework with filters has a small {@link Held#slot() slot} number
 * (reused once it has none), so a round maps a filter to its candidates through an array, not a hash lookup per
 * filter. Expired filters are dropped when next looked at. Not thread-safe; owned by the {@link Allocator}.
 */
final class OfferFilters {
    /**
     * A refusal, as Mesos has it: the framework does not want {@code refused} (or any part of it) from the agent
     * until {@code until}. More than that, e.g. once a task there has ended, is offered again at once.
     */
    record OfferFilter(Resources refused, Instant until) {}

    /** One framework's filters on one agent. */
    record Held(FrameworkId framework, int slot, List<OfferFilter> filters) {}

    /** A framework with filters: its slot and agent -> its filters there. */
    private record Owner(int slot, Map<AgentId, Held> byAgent) {}

    private final Map<AgentId, List<Held>> byAgent = new HashMap<>();
    private final Map<FrameworkId, Owner> owners = new HashMap<>();
    private final Deque<Integer> freeSlots = new ArrayDeque<>();
    private int slots;

    void add(FrameworkId framework, AgentId agent, Resources refused, Instant until) {
        Owner owner = owners.computeIfAbsent(framework, f -> new Owner(newSlot(), new HashMap<>()));
        Held held = owner.byAgent().get(agent);
        if (held == null) {
            held = new Held(framework, owner.slot(), new ArrayList<>(2));
            owner.byAgent().put(agent, held);
            byAgent.computeIfAbsent(agent, a -> new ArrayList<>(4)).add(held);
        }
        held.filters().add(new OfferFilter(refused, until));
    }

    private int newSlot() {
        Integer free = freeSlots.poll();
        return free != null ? free : slots++;
    }

    /** One more than the highest slot in use: the size of an array indexed by slot. */
    int slotCount() {
        return slots;
    }

    /** The framework's slot, or -1 if it has no filters. */
    int slotOf(FrameworkId framework) {
        Owner owner = owners.get(framework);
        return owner == null ? -1 : owner.slot();
    }

    /** The filters on the agent, one entry per framework (live view). Do not change it while iterating it. */
    List<Held> on(AgentId agent) {
        List<Held> here = byAgent.get(agent);
        return here == null ? List.of() : here;
    }

    /**
     * True if a filter of the framework in force at {@code now} covers everything the agent could offer it
     * ({@code offerable}); drops the framework's expired filters there.
     */
    boolean isFiltered(FrameworkId framework, AgentId agent, Resources offerable, Instant now) {
        Owner owner = owners.get(framework);
        Held held = owner == null ? null : owner.byAgent().get(agent);
        return held != null && isFiltered(agent, held, offerable, now);
    }

    /** As {@link #isFiltered(FrameworkId, AgentId, Resources, Instant)}, given the framework's filters there. */
    boolean isFiltered(AgentId agent, Held held, Resources offerable, Instant now) {
        List<OfferFilter> live = held.filters();
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
            forget(held.framework(), agent);
        }
        return covered;
    }

    private void forget(FrameworkId framework, AgentId agent) {
        Owner owner = owners.get(framework);
        Held held = owner == null ? null : owner.byAgent().remove(agent);
        if (held == null) {
            return;
        }
        dropFromAgent(agent, held);
        if (owner.byAgent().isEmpty()) {
            owners.remove(framework);
            freeSlots.push(owner.slot());
        }
    }

    private void dropFromAgent(AgentId agent, Held held) {
        List<Held> here = byAgent.get(agent);
        here.removeIf(h -> h == held);
        if (here.isEmpty()) {
            byAgent.remove(agent);
        }
    }

    /** Drops every filter of the framework (revive, removal). */
    void removeFramework(FrameworkId framework) {
        Owner owner = owners.remove(framework);
        if (owner == null) {
            return;
        }
        owner.byAgent().forEach(this::dropFromAgent);
        freeSlots.push(owner.slot());
    }

    /** Drops every filter on the agent. */
    void removeAgent(AgentId agent) {
        for (Held held : List.copyOf(on(agent))) {
            forget(held.framework(), agent);
        }
    }
}
