package io.tandem.allocator;

import io.tandem.model.Resources;
import io.tandem.model.Value;
import java.util.Objects;

/**
 * What a framework still wants: {@code count} tasks, each needing {@code resources} (unreserved scalars such
 * as {@code cpus:2;mem:8192}; a task may still be placed on resources reserved for its role). A scalar named
 * for a resource agents have as ranges is a count: {@code cpus:1;mem:512;ports:2} wants two ports, and each
 * task's grant names two free ports of the agent (the lowest).
 */
public record TaskShape(Resources resources, int count) {
    public TaskShape {
        Objects.requireNonNull(resources, "resources");
        if (count < 0) {
            throw new IllegalArgumentException("a task count must not be negative, got " + count);
        }
        if (!Allocator.isAllocatable(resources)) {
            throw new IllegalArgumentException("a task shape needs at least " + Allocator.MIN_CPUS + " cpus or "
                    + Allocator.MIN_MEM + " MB mem, got '" + resources + "'");
        }
        resources.list().forEach(r -> {
            if (r.isReserved() || !(r.value() instanceof Value.Scalar)) {
                throw new IllegalArgumentException("a task shape holds unreserved scalar resources only, got '"
                        + r + "'");
            }
        });
    }

    /** E.g. {@code TaskShape.of("cpus:2;mem:8192", 5)}. */
    public static TaskShape of(String spec, int count) {
        return new TaskShape(Resources.parse(spec), count);
    }

    TaskShape withCount(int newCount) {
        return new TaskShape(resources, newCount);
    }
}
