package io.tandem.allocator;

import io.tandem.model.AgentId;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** The allocator's view of one framework: its roles, whether it wants offers, and its offer filters. */
final class FrameworkState {
    Set<String> roles;
    boolean active = true;
    final Set<String> suppressedRoles = new TreeSet<>();
    /** Agent -> the instant until which the framework gets no offers from it. */
    final Map<AgentId, Instant> filters = new TreeMap<>();

    FrameworkState(Set<String> roles) {
        this.roles = new TreeSet<>(roles);
    }

    /** True if a filter for the agent is still in force at {@code now}; drops it once expired. */
    boolean isFiltered(AgentId agent, Instant now) {
        Instant until = filters.get(agent);
        if (until == null) {
            return false;
        }
        if (!now.isBefore(until)) {
            filters.remove(agent);
            return false;
        }
        return true;
    }

    void filter(AgentId agent, Instant until) {
        filters.merge(agent, until, (a, b) -> a.isAfter(b) ? a : b);
    }
}
