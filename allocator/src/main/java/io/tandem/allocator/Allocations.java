package io.tandem.allocator;

import io.tandem.model.AgentId;
import io.tandem.model.FrameworkId;
import io.tandem.model.Resources;
import io.tandem.model.Value;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Who holds what: exact resources per (framework, agent, role), plus running sums for the sorters.
 *
 * <p>Sums across agents keep scalars only: ports 31000-31009 on two agents are different ports, but
 * {@link Resources} adds ranges as a union, so a cluster-wide sum of ranges would be wrong (and could not
 * be subtracted back). Fair-share policies look at scalars alone anyway. Not thread-safe; owned by the
 * {@link Allocator}'s caller's thread.
 */
final class Allocations {
    // Hash maps: these are looked up for every grant, and nothing iterates them in an order that matters
    // (what callers see in order is copied into sorted maps).
    private final Map<FrameworkId, Map<AgentId, SortedMap<String, Resources>>> held = new HashMap<>();
    private final Map<AgentId, Resources> byAgent = new HashMap<>();
    private final Map<String, Resources> scalarsByRole = new HashMap<>();
    private final Map<FrameworkId, Map<String, Resources>> scalarsByFrameworkRole = new HashMap<>();
    private Resources unreservedScalars = Resources.empty();
    /** Role -> scalars allocated to it and every role below it, kept up to date for the role tree. */
    private final Map<String, Resources> scalarsBySubtree = new HashMap<>();
    /** Counts changes, so that caches of sums derived from these can tell whether they are current. */
    private long version;

    long version() {
        return version;
    }

    void add(FrameworkId framework, AgentId agent, String role, Resources resources) {
        if (resources.isEmpty()) {
            return;
        }
        version++;
        held.computeIfAbsent(framework, f -> new HashMap<>())
                .computeIfAbsent(agent, a -> new TreeMap<>())
                .merge(role, resources, Resources::plus);
        byAgent.merge(agent, resources, Resources::plus);
        Resources scalars = scalarsOf(resources);
        Resources unreserved = lastUnreserved;
        if (scalars.isEmpty()) {
            return;
        }
        scalarsByRole.merge(role, scalars, Resources::plus);
        unreservedScalars = unreservedScalars.plus(unreserved);
        RoleTree.ancestorsAndSelf(role).forEach(path -> scalarsBySubtree.merge(path, scalars, Resources::plus));
        scalarsByFrameworkRole.computeIfAbsent(framework, f -> new HashMap<>()).merge(role, scalars, Resources::plus);
    }

    /** @throws IllegalArgumentException if the framework does not hold {@code resources} there under the role */
    void remove(FrameworkId framework, AgentId agent, String role, Resources resources) {
        Resources have = heldOn(framework, agent).getOrDefault(role, Resources.empty());
        if (!have.contains(resources)) {
            throw new IllegalArgumentException("framework " + framework + " does not hold '" + resources
                    + "' on agent " + agent + " in role " + role + " (it holds '" + have + "')");
        }
        if (resources.isEmpty()) {
            return;
        }
        version++;
        Map<AgentId, SortedMap<String, Resources>> perAgent = held.get(framework);
        SortedMap<String, Resources> perRole = perAgent.get(agent);
        putOrDrop(perRole, role, have.minus(resources));
        if (perRole.isEmpty()) {
            perAgent.remove(agent);
        }
        if (perAgent.isEmpty()) {
            held.remove(framework);
        }
        putOrDrop(byAgent, agent, byAgent.get(agent).minus(resources));
        Resources scalars = scalarsOf(resources);
        Resources unreserved = lastUnreserved;
        if (scalars.isEmpty()) {   // the sums below hold scalars only
            return;
        }
        putOrDrop(scalarsByRole, role, scalarsByRole.get(role).minus(scalars));
        unreservedScalars = unreservedScalars.minus(unreserved);
        RoleTree.ancestorsAndSelf(role).forEach(path ->
                putOrDrop(scalarsBySubtree, path, scalarsBySubtree.get(path).minus(scalars)));
        Map<String, Resources> fwRoles = scalarsByFrameworkRole.get(framework);
        putOrDrop(fwRoles, role, fwRoles.get(role).minus(scalars));
        if (fwRoles.isEmpty()) {
            scalarsByFrameworkRole.remove(framework);
        }
    }

    private static <K> void putOrDrop(Map<K, Resources> map, K key, Resources value) {
        if (value.isEmpty()) {
            map.remove(key);
        } else {
            map.put(key, value);
        }
    }

    /** Releases everything the framework holds. */
    void removeFramework(FrameworkId framework) {
        for (Entry e : entries(framework)) {
            remove(e.framework(), e.agent(), e.role(), e.resources());
        }
    }

    /** Releases everything held on the agent. */
    void removeAgent(AgentId agent) {
        for (FrameworkId framework : List.copyOf(held.keySet())) {
            for (Entry e : entries(framework)) {
                if (e.agent().equals(agent)) {
                    remove(e.framework(), e.agent(), e.role(), e.resources());
                }
            }
        }
    }

    private record Entry(FrameworkId framework, AgentId agent, String role, Resources resources) {}

    private List<Entry> entries(FrameworkId framework) {
        List<Entry> out = new ArrayList<>();
        held.getOrDefault(framework, Map.of()).forEach((agent, roles) ->
                roles.forEach((role, resources) -> out.add(new Entry(framework, agent, role, resources))));
        return out;
    }

    /** Role -> resources the framework holds on the agent. */
    Map<String, Resources> heldOn(FrameworkId framework, AgentId agent) {
        return Collections.unmodifiableMap(held.getOrDefault(framework, Map.of())
                .getOrDefault(agent, Collections.emptySortedMap()));
    }

    /** Agent -> everything the framework holds there, over all its roles. */
    Map<AgentId, Resources> heldBy(FrameworkId framework) {
        Map<AgentId, Resources> out = new TreeMap<>();
        held.getOrDefault(framework, Map.of()).forEach((agent, roles) ->
                out.put(agent, roles.values().stream().reduce(Resources.empty(), Resources::plus)));
        return Collections.unmodifiableMap(out);
    }

    Resources onAgent(AgentId agent) {
        return byAgent.getOrDefault(agent, Resources.empty());
    }

    Resources scalarsOfRole(String role) {
        return scalarsByRole.getOrDefault(role, Resources.empty());
    }

    /** The roles under which something is allocated, in name order. */
    Set<String> roles() {
        return Collections.unmodifiableSet(new TreeSet<>(scalarsByRole.keySet()));
    }

    /** Unreserved scalars allocated, over all agents and roles. */
    Resources unreservedScalars() {
        return unreservedScalars;
    }

    /** Scalars allocated to the role and every role below it ("eng" counts "eng/prod"). */
    Resources scalarsOfSubtree(String role) {
        return scalarsBySubtree.getOrDefault(role, Resources.empty());
    }

    Resources scalarsOf(FrameworkId framework, String role) {
        return scalarsByFrameworkRole.getOrDefault(framework, Map.of()).getOrDefault(role, Resources.empty());
    }

    /**
     * The scalar part of {@code resources} (and, in {@code lastUnreserved}, its unreserved part), remembered for
     * the last object asked about: progressive filling adds the same task shape object again and again.
     */
    private Resources scalarsOf(Resources resources) {
        if (resources != lastResources) {
            lastScalars = scalarPart(resources);
            lastUnreserved = lastScalars.unreserved();
            lastResources = resources;
        }
        return lastScalars;
    }

    private Resources lastResources;
    private Resources lastScalars;
    private Resources lastUnreserved;

    static Resources scalarPart(Resources resources) {
        return resources.filter(r -> r.value() instanceof Value.Scalar);
    }
}
