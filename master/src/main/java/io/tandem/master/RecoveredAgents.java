package io.tandem.master;

import io.tandem.master.registry.RegistryState;
import io.tandem.model.AgentId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Agents a new leader read from the registry that have not re-registered yet (Mesos's "recovered"
 * agents). Until they come back or their re-registration deadline passes, reconciliation says
 * nothing about tasks that may be on them: the agent will tell, and a guess could make a framework
 * launch a task twice.
 *
 * <p>Owned by the master loop thread.
 */
final class RecoveredAgents {
    private final Map<AgentId, RegistryState.AgentEntry> waiting = new LinkedHashMap<>();
    private Instant deadline = Instant.MIN;

    void expect(Collection<RegistryState.AgentEntry> agents, Instant until) {
        agents.forEach(entry -> waiting.put(new AgentId(entry.id()), entry));
        deadline = until;
    }

    /** The registry's entry of an agent that is back now; it is no longer waited for. */
    Optional<RegistryState.AgentEntry> arrived(AgentId id) {
        return Optional.ofNullable(waiting.remove(id));
    }

    boolean isWaitingFor(AgentId id) {
        return waiting.containsKey(id);
    }

    boolean isEmpty() {
        return waiting.isEmpty();
    }

    Collection<RegistryState.AgentEntry> all() {
        return Collections.unmodifiableCollection(waiting.values());
    }

    /** Gives up on the agents still missing once the deadline has passed; returns them. */
    List<RegistryState.AgentEntry> expire(Instant now) {
        if (waiting.isEmpty() || now.isBefore(deadline)) {
            return List.of();
        }
        List<RegistryState.AgentEntry> gone = new ArrayList<>(waiting.values());
        waiting.clear();
        return gone;
    }
}
