package io.tandem.allocator.sorter;

import io.tandem.model.Resources;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Max-min fairness over one resource (cpus unless told otherwise):
 *
 * <pre>share(c) = allocated_resource(c) / weight(c)</pre>
 *
 * The lowest share goes first; ties go to the smaller name. Served one task at a time against declared
 * demand (the allocator stops serving a client once its demand is met), this is progressive filling,
 * which ends where {@link WaterFilling} says: equal shares for the unsatisfied, nobody above its demand,
 * leftovers re-divided among the rest.
 */
public final class MaxMinSorter implements Sorter {
    public static final String NAME = "mmf";
    public static final String DEFAULT_RESOURCE = "cpus";

    private final String resource;

    public MaxMinSorter() {
        this(DEFAULT_RESOURCE);
    }

    /** @param resource the scalar resource shared fairly, e.g. {@code "cpus"} or {@code "mem"} */
    public MaxMinSorter(String resource) {
        Objects.requireNonNull(resource, "resource");
        if (resource.isBlank()) {
            throw new IllegalArgumentException("the fair-share resource must be named, got '" + resource + "'");
        }
        this.resource = resource;
    }

    @Override
    public String name() {
        return NAME;
    }

    public String resource() {
        return resource;
    }

    @Override
    public List<Client> sort(Collection<Client> clients, Resources total) {
        Comparator<Client> byShare = Comparator.comparingDouble(this::share);
        return clients.stream().sorted(byShare.thenComparing(Client::name)).toList();
    }

    /** The client's amount of the resource over its weight (the total does not change the order). */
    @Override
    public double share(Client client, Resources total) {
        return share(client);
    }

    public double share(Client client) {
        return client.allocated().scalar(resource) / client.weight();
    }
}
