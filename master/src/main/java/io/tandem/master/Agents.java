package io.tandem.master;

import io.tandem.model.AgentId;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The agents the master knows, reachable or not.
 *
 * <p>Owned by the master loop thread; not thread-safe.
 */
final class Agents {
    private final Map<AgentId, Agent> byId = new LinkedHashMap<>();
    /** Agents an operator marked gone (MARK_AGENT_GONE): they may never come back, even after a failover. */
    private final Set<AgentId> gone = new HashSet<>();

    void add(Agent agent) {
        byId.put(agent.id(), agent);
    }

    /** Forgets the agent for good: an operator marked it gone. */
    void markGone(AgentId id) {
        byId.remove(id);
        gone.add(id);
    }

    /** Forgets the agent; it may register again (its machine went DOWN for maintenance). */
    void remove(AgentId id) {
        byId.remove(id);
    }

    boolean isGone(AgentId id) {
        return gone.contains(id);
    }

    /** The agents marked gone, for the registry. */
    Set<AgentId> gone() {
        return Collections.unmodifiableSet(gone);
    }

    Optional<Agent> get(AgentId id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** The agent if it is known and reachable. */
    Optional<Agent> reachable(AgentId id) {
        return get(id).filter(Agent::isReachable);
    }

    Collection<Agent> all() {
        return Collections.unmodifiableCollection(byId.values());
    }

    List<Agent> allReachable() {
        return byId.values().stream().filter(Agent::isReachable).toList();
    }

    /** Reachable agents whose last report is {@code timeout} or more before {@code now}. */
    List<Agent> silentFor(Duration timeout, Instant now) {
        Instant cutoff = now.minus(timeout);
        return byId.values().stream()
                .filter(Agent::isReachable)
                .filter(a -> !a.lastSeen().isAfter(cutoff))
                .toList();
    }
}
