package io.tandem.allocator.sorter;

import io.tandem.model.Resources;
import java.util.Collection;
import java.util.List;

/**
 * A fair-share policy: it only orders clients, most deserving first. Everything else (filters,
 * suppression, reservations, quota, demand) is the allocator's mechanism. Implementations are pure and
 * deterministic: equal inputs give equal orders, ties broken by client name.
 */
public interface Sorter {

    /** The name the policy is registered under in {@link Sorters}, e.g. {@code "drf"}. */
    String name();

    /**
     * @param clients the clients to order (names unique)
     * @param total the cluster's total resources (scalars summed over agents)
     */
    List<Client> sort(Collection<Client> clients, Resources total);

    /** The client with the lowest share (ties: the smaller name), each share computed once; null if none. */
    default Client first(Collection<Client> clients, Resources total) {
        Client best = null;
        double bestShare = 0;
        for (Client c : clients) {
            double share = share(c, total);
            if (best == null || share < bestShare || (share == bestShare && c.name().compareTo(best.name()) < 0)) {
                best = c;
                bestShare = share;
            }
        }
        return best;
    }

    /** The number the order is by (lowest first), e.g. the dominant share; shown to people to explain it. */
    double share(Client client, Resources total);
}
