package io.tandem.allocator;

import io.tandem.allocator.sorter.Client;
import io.tandem.allocator.sorter.Sorter;
import io.tandem.model.AgentId;
import io.tandem.model.FrameworkId;
import io.tandem.model.Resources;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The two questions each step of a round asks: who is most deserving now (roles lacking their quota
 * guarantee first, then the role tree by the role sorter, then the framework sorter within the role), and
 * how much may a role be given (what it may use on an agent, less what must stay free for other roles'
 * guarantees, within every quota limit on its path). Reads the live {@link Allocations}, so each answer
 * reflects the grants made so far. Not thread-safe; owned by the {@link Allocator}.
 */
final class FairShare {
    private final Sorter roleSorter;
    private final Sorter frameworkSorter;
    private final RoleTree roleTree;
    private final Quotas quotas;
    private final Allocations allocations;

    FairShare(Sorter roleSorter, Sorter frameworkSorter, RoleTree roleTree, Quotas quotas, Allocations allocations) {
        this.roleSorter = roleSorter;
        this.frameworkSorter = frameworkSorter;
        this.roleTree = roleTree;
        this.quotas = quotas;
        this.allocations = allocations;
    }

    /** @param total the cluster's scalars, the sorters' denominator */
    Candidate pick(List<Candidate> remaining, Resources total) {
        if (!quotas.isEmpty()) {
            List<Candidate> lacking = remaining.stream()
                    .filter(c -> quotas.lacksGuarantee(c.role(), allocations::scalarsOfSubtree)).toList();
            remaining = lacking.isEmpty() ? remaining : lacking;
        }
        Map<String, List<Candidate>> byRole = new LinkedHashMap<>();
        remaining.forEach(c -> byRole.computeIfAbsent(c.role(), r -> new ArrayList<>()).add(c));
        String role = roleTree.pick(byRole.keySet(), roleSorter, total, allocations::scalarsOfRole,
                allocations::scalarsOfSubtree);
        Map<String, Candidate> byName = new HashMap<>();
        List<Client> clients = new ArrayList<>();
        for (Candidate c : byRole.get(role)) {
            byName.put(c.framework().value(), c);
            clients.add(Client.of(c.framework().value(), allocations.scalarsOf(c.framework(), role)));
        }
        return byName.get(frameworkSorter.first(clients, total).name());
    }

    FairOrder order(List<Candidate> candidates, Resources total) {
        return new FairOrder(this, candidates, total);
    }

    boolean atQuotaLimit(String role) {
        if (quotas.isEmpty()) {
            return false;
        }
        Map<String, Double> room = quotas.limitHeadroom(role, allocations::scalarsOfSubtree);
        return room.getOrDefault("cpus", Double.MAX_VALUE) < Allocator.MIN_CPUS
                && room.getOrDefault("mem", Double.MAX_VALUE) < Allocator.MIN_MEM;
    }

    /** Records a grant to the role, keeping the quota sums current without a scan over every quota. */
    void hold(Candidate c, AgentId agent, Resources resources) {
        long before = allocations.version();
        allocations.add(c.framework(), agent, c.role(), resources);
        if (!quotas.isEmpty()) {
            quotas.allocated(c.role(), allocations::scalarsOfSubtree, before, allocations.version());
        }
    }

    /** The framework sorter's share of the candidate: what it holds in its role. */
    double frameworkShare(Candidate c, Resources total) {
        return frameworkSorter.share(Client.of(c.framework().value(), allocations.scalarsOf(c.framework(), c.role())),
                total);
    }

    /** The role sorter's share of a top-level competitor: everything allocated in its subtree, by its weight. */
    double roleShare(String role, Resources total) {
        return roleSorter.share(new Client(role, allocations.scalarsOfSubtree(role), roleTree.weight(role)), total);
    }

    boolean lacksGuarantee(String role) {
        return !quotas.isEmpty() && quotas.lacksGuarantee(role, allocations::scalarsOfSubtree);
    }

    /**
     * @param free what the agent has free
     * @param clusterUnreserved the cluster's unreserved scalars (what guarantees are set aside from)
     * @param anyReserved whether any agent has reserved resources
     */
    Resources usable(String role, Resources free, Resources clusterUnreserved, boolean anyReserved) {
        Resources usable = anyReserved ? free.usableBy(role) : free;   // without reservations all of it is usable
        if (quotas.isEmpty()) {
            return usable;
        }
        Resources freeInCluster = clusterUnreserved.minus(allocations.unreservedScalars());
        Map<String, Double> spare = new TreeMap<>();
        quotas.setAsideFrom(role, allocations::scalarsOfSubtree, allocations.version())
                .forEach((name, amount) -> spare.put(name, Math.max(0, freeInCluster.scalar(name) - amount)));
        usable = Placement.cap(usable, spare, true);
        return Placement.cap(usable, quotas.limitHeadroom(role, allocations::scalarsOfSubtree), false);
    }

    /** Every role with a framework, an allocation, a weight or a quota, with its frameworks, in name order. */
    List<RoleSummary> summarize(Map<FrameworkId, FrameworkState> frameworks, List<UnmetDemand> unsatisfiable,
            Resources total) {
        Set<String> roles = new TreeSet<>(allocations.roles());
        frameworks.values().forEach(f -> roles.addAll(f.roles));
        roles.addAll(roleTree.weights().keySet());
        roles.addAll(quotas.all().keySet());
        List<RoleSummary> out = new ArrayList<>();
        for (String role : roles) {
            List<RoleSummary.FrameworkSummary> members = new ArrayList<>();
            frameworks.forEach((id, state) -> {
                Resources held = allocations.scalarsOf(id, role);
                if (state.roles.contains(role) || !held.isEmpty()) {
                    members.add(new RoleSummary.FrameworkSummary(id, held,
                            frameworkSorter.share(Client.of(id.value(), held), total),
                            state.remainingDemand().getOrDefault(role, List.of()),
                            unsatisfiable.stream().filter(u -> u.frameworkId().equals(id) && u.role().equals(role))
                                    .toList()));
                }
            });
            Resources subtree = allocations.scalarsOfSubtree(role);
            double weight = roleTree.weight(role);
            out.add(new RoleSummary(role, subtree, roleSorter.share(new Client(role, subtree, weight), total), weight,
                    Optional.ofNullable(quotas.all().get(role)), List.copyOf(members)));
        }
        return out;
    }
}
