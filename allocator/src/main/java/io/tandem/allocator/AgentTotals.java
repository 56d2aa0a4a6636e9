package io.tandem.allocator;

import io.tandem.model.AgentId;
import io.tandem.model.Resource;
import io.tandem.model.Resources;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Every agent's total resources, and the cluster-wide scalar sums the sorters and quota need. Not
 * thread-safe; owned by the {@link Allocator}.
 */
final class AgentTotals {
    private final SortedMap<AgentId, Resources> totals = new TreeMap<>();
    /** The same, for lookups: a round asks for every agent's total, and a tree walk compares many ids. */
    private final Map<AgentId, Resources> byId = new HashMap<>();
    private Resources clusterScalars = Resources.empty();
    private Resources unreservedScalars = Resources.empty();
    /** How many agents' totals hold reserved resources. */
    private int withReservations;

    /** @throws IllegalArgumentException if the agent is already known */
    void add(AgentId agent, Resources total) {
        if (totals.putIfAbsent(agent, total) != null) {
            throw new IllegalArgumentException("agent " + agent + " is already known");
        }
        byId.put(agent, total);
        count(total, true);
    }

    /** @return the agent's total, or null if it was unknown */
    Resources remove(AgentId agent) {
        Resources total = totals.remove(agent);
        byId.remove(agent);
        if (total != null) {
            count(total, false);
        }
        return total;
    }

    /**
     * Replaces {@code from} by {@code to} in the agent's total: the same amounts, other reservations.
     *
     * @throws IllegalArgumentException if the agent is unknown, does not have {@code from}, or
     *     {@code to} is not {@code from} with other roles
     */
    void convert(AgentId agent, Resources from, Resources to) {
        Resources total = totals.get(agent);
        if (total == null) {
            throw new IllegalArgumentException("unknown agent " + agent);
        }
        if (!unreservedForm(from).equals(unreservedForm(to))) {
            throw new IllegalArgumentException("'" + to + "' is not '" + from
                    + "' with other reservations: a reservation changes roles, not amounts");
        }
        if (!total.contains(from)) {
            throw new IllegalArgumentException("agent " + agent + " does not have '" + from + "' (it has '" + total
                    + "')");
        }
        count(total, false);
        Resources changed = total.minus(from).plus(to);
        totals.put(agent, changed);
        byId.put(agent, changed);
        count(changed, true);
    }

    private static Resources unreservedForm(Resources resources) {
        return Resources.of(resources.list().stream().map(r -> r.withRole(Resource.UNRESERVED)).toList());
    }

    private void count(Resources total, boolean add) {
        if (total.list().stream().anyMatch(Resource::isReserved)) {
            withReservations += add ? 1 : -1;
        }
        Resources scalars = Allocations.scalarPart(total);
        clusterScalars = add ? clusterScalars.plus(scalars) : clusterScalars.minus(scalars);
        unreservedScalars = add ? unreservedScalars.plus(scalars.unreserved())
                : unreservedScalars.minus(scalars.unreserved());
    }

    boolean hasReservations() {
        return withReservations > 0;
    }

    Resources get(AgentId agent) {
        return byId.get(agent);
    }

    boolean contains(AgentId agent) {
        return byId.containsKey(agent);
    }

    Set<AgentId> ids() {
        return Collections.unmodifiableSet(totals.keySet());
    }

    Collection<Resources> all() {
        return Collections.unmodifiableCollection(totals.values());
    }

    /** Sum over agents of every scalar resource: the denominator of the sorters' shares. */
    Resources clusterScalars() {
        return clusterScalars;
    }

    /** Sum over agents of the unreserved scalars: what quota guarantees are set aside from. */
    Resources unreservedScalars() {
        return unreservedScalars;
    }
}
