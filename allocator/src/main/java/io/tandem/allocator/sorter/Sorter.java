package io.tandem.allocator.sorter;

import io.tandem.model.Resources;
import java.util.Collection;
import java.util.List;

/**
 * A fair-share policy: it only orders clients, most deserving first. Everything else (filters,
 * suppression, reservations, and later quota) is the allocator's mechanism. Implementations are pure and
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

    /** The number the order is by (lowest first), e.g. the dominant share; shown to people to explain it. */
    double share(Client client, Resources total);
}
