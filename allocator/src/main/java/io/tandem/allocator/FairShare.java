package io.tandem.allocator;

import io.tandem.allocator.sorter.Client;
import io.tandem.allocator.sorter.Sorter;
import io.tandem.model.Resources;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

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
        return byName.get(frameworkSorter.sort(clients, total).getFirst().name());
    }

    /**
     * @param free what the agent has free
     * @param clusterUnreserved the cluster's unreserved scalars (what guarantees are set aside from)
     */
    Resources usable(String role, Resources free, Resources clusterUnreserved) {
        Resources usable = free.usableBy(role);
        if (quotas.isEmpty()) {
            return usable;
        }
        Resources freeInCluster = clusterUnreserved.minus(allocations.unreservedScalars());
        Map<String, Double> spare = new TreeMap<>();
        quotas.setAsideFrom(role, allocations::scalarsOfSubtree)
                .forEach((name, amount) -> spare.put(name, Math.max(0, freeInCluster.scalar(name) - amount)));
        usable = Placement.cap(usable, spare, true);
        return Placement.cap(usable, quotas.limitHeadroom(role, allocations::scalarsOfSubtree), false);
    }
}
