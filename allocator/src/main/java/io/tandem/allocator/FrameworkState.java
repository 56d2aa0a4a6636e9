package io.tandem.allocator;

import io.tandem.model.AgentId;
import io.tandem.model.FrameworkId;
import io.tandem.model.Resources;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** The allocator's view of one framework: its roles, whether it wants offers, and its offer filters. */
final class FrameworkState {
    Set<String> roles;
    boolean active = true;
    final Set<String> suppressedRoles = new TreeSet<>();
    /** Agent -> the resources the framework refused there, each until an instant. */
    final Map<AgentId, List<OfferFilter>> filters = new HashMap<>();

    /**
     * A refusal, as Mesos has it: the framework does not want {@code refused} (or any part of it)
     * from the agent until {@code until}. More than that, e.g. once a task there has ended, is
     * offered again at once.
     */
    /**
     * Role -> the tasks the framework still wants there, in declared order; each grant of a task lowers its
     * count. A role absent here declared nothing and gets Mesos's whole-agent offers.
     */
    final Map<String, List<TaskShape>> demand = new TreeMap<>();

    record OfferFilter(Resources refused, Instant until) {}

    FrameworkState(Set<String> roles) {
        this.roles = new TreeSet<>(roles);
    }

    /**
     * True if a filter in force at {@code now} covers everything the agent could offer
     * ({@code offerable}); drops the agent's expired filters.
     */
    boolean isFiltered(AgentId agent, Resources offerable, Instant now) {
        List<OfferFilter> live = filters.get(agent);
        return live != null && isFiltered(agent, live, offerable, now);
    }

    /** As {@link #isFiltered(AgentId, Resources, Instant)}, given the agent's filters ({@code filters.get(agent)}). */
    boolean isFiltered(AgentId agent, List<OfferFilter> live, Resources offerable, Instant now) {
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
            filters.remove(agent);
        }
        return covered;
    }

    /** What it holds under a dropped role stays held; its suppression and demand there are forgotten. */
    void setRoles(Set<String> newRoles) {
        roles = new TreeSet<>(newRoles);
        suppressedRoles.retainAll(newRoles);
        demand.keySet().retainAll(newRoles);
    }

    /** Suppresses {@code some} roles, or all if empty. */
    void suppress(Set<String> some) {
        suppressedRoles.addAll(some.isEmpty() ? roles : some);
    }

    /** Revives {@code some} roles, or all if empty, and drops every offer filter. */
    void revive(Set<String> some) {
        if (some.isEmpty()) {
            suppressedRoles.clear();
        } else {
            suppressedRoles.removeAll(some);
        }
        filters.clear();
    }

    /** Replaces the demand declared for the role; an empty list withdraws it. */
    void declare(FrameworkId id, String role, List<TaskShape> shapes) {
        if (!roles.contains(role)) {
            throw new IllegalArgumentException("framework " + id + " is not subscribed to role '" + role
                    + "' (its roles: " + String.join(", ", roles) + ")");
        }
        if (shapes.isEmpty()) {
            demand.remove(role);
        } else {
            demand.put(role, new ArrayList<>(shapes));
        }
    }

    boolean hasDemand(String role) {
        return demand.containsKey(role);
    }

    /** Role -> declared tasks not granted yet (counts above zero). */
    Map<String, List<TaskShape>> remainingDemand() {
        Map<String, List<TaskShape>> out = new TreeMap<>();
        demand.forEach((role, shapes) -> {
            List<TaskShape> left = shapes.stream().filter(s -> s.count() > 0).toList();
            if (!left.isEmpty()) {
                out.put(role, left);
            }
        });
        return out;
    }

    void filter(AgentId agent, Resources refused, Instant until) {
        filters.computeIfAbsent(agent, a -> new ArrayList<>()).add(new OfferFilter(refused, until));
    }
}
