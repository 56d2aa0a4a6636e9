package io.tandem.allocator;

import io.tandem.model.AgentId;
import io.tandem.model.FrameworkId;
import io.tandem.model.Resource;
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
    private final Map<String, ScalarSum> scalarsByRole = new HashMap<>();
    private final Map<FrameworkId, Map<String, ScalarSum>> scalarsByFrameworkRole = new HashMap<>();
    private final ScalarSum unreservedScalars = new ScalarSum(true);
    /** Role -> scalars allocated to it and every role below it, kept up to date for the role tree. */
    private final Map<String, ScalarSum> scalarsBySubtree = new HashMap<>();
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
        if (!hasScalars(resources)) {
            return;
        }
        sum(scalarsByRole, role).add(resources);
        unreservedScalars.add(resources);
        for (String path : RoleTree.ancestorsAndSelf(role)) {
            sum(scalarsBySubtree, path).add(resources);
        }
        sum(scalarsByFrameworkRole.computeIfAbsent(framework, f -> new HashMap<>()), role).add(resources);
    }

    private static ScalarSum sum(Map<String, ScalarSum> sums, String key) {
        return sums.computeIfAbsent(key, k -> new ScalarSum(false));
    }

    private static boolean hasScalars(Resources resources) {
        List<Resource> entries = resources.list();
        for (int k = 0; k < entries.size(); k++) {
            if (entries.get(k).value() instanceof Value.Scalar) {
                return true;
            }
        }
        return false;
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
        if (!hasScalars(resources)) {   // the sums below hold scalars only
            return;
        }
        subtract(scalarsByRole, role, resources);
        unreservedScalars.subtract(resources);
        for (String path : RoleTree.ancestorsAndSelf(role)) {
            subtract(scalarsBySubtree, path, resources);
        }
        Map<String, ScalarSum> fwRoles = scalarsByFrameworkRole.get(framework);
        subtract(fwRoles, role, resources);
        if (fwRoles.isEmpty()) {
            scalarsByFrameworkRole.remove(framework);
        }
    }

    /** Takes the resources' scalars from the key's sum, dropping the sum once it holds nothing. */
    private static void subtract(Map<String, ScalarSum> sums, String key, Resources resources) {
        ScalarSum sum = sums.get(key);
        sum.subtract(resources);
        if (sum.isEmpty()) {
            sums.remove(key);
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
        return read(scalarsByRole.get(role));
    }

    private static Resources read(ScalarSum sum) {
        return sum == null ? Resources.empty() : sum.resources();
    }

    /** The roles under which something is allocated, in name order. */
    Set<String> roles() {
        return Collections.unmodifiableSet(new TreeSet<>(scalarsByRole.keySet()));
    }

    /** Unreserved scalars allocated, over all agents and roles. */
    Resources unreservedScalars() {
        return unreservedScalars.resources();
    }

    /** Scalars allocated to the role and every role below it ("eng" counts "eng/prod"). */
    Resources scalarsOfSubtree(String role) {
        return read(scalarsBySubtree.get(role));
    }

    Resources scalarsOf(FrameworkId framework, String role) {
        return read(scalarsByFrameworkRole.getOrDefault(framework, Map.of()).get(role));
    }

    static Resources scalarPart(Resources resources) {
        return resources.filter(r -> r.value() instanceof Value.Scalar);
    }
}
