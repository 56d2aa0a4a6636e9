package io.tandem.allocator;

import io.tandem.model.FrameworkId;

/**
 * Declared demand that cannot be met as the cluster stands, whatever others release: e.g.
 * {@code a task of cpus:64 fits on no agent; the largest has cpus:32}.
 */
public record UnmetDemand(FrameworkId frameworkId, String role, TaskShape shape, String reason) {
    /** E.g. {@code framework f1 (role dev): 3 task(s) of cpus:64 cannot run: a task of cpus:64 fits ...}. */
    public String describe() {
        return "framework " + frameworkId + " (role " + role + "): " + shape.count() + " task(s) of "
                + shape.resources() + " cannot run: " + reason;
    }
}
