package io.tandem.allocator.sorter;

import io.tandem.model.Resources;
import java.util.Objects;

/**
 * One party a {@link Sorter} orders: a role (first level) or a framework within a role (second level).
 *
 * @param name the role name or framework id; ties are broken by it
 * @param allocated what the client holds now (scalars summed over agents)
 * @param weight its relative entitlement; 1.0 until weights are configurable
 */
public record Client(String name, Resources allocated, double weight) {
    public Client {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(allocated, "allocated");
        if (!(weight > 0) || Double.isInfinite(weight)) {
            throw new IllegalArgumentException("weight of '" + name + "' must be positive and finite, got " + weight);
        }
    }

    public static Client of(String name, Resources allocated) {
        return new Client(name, allocated, 1.0);
    }
}
