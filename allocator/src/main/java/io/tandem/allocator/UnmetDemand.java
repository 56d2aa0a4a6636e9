package io.tandem.allocator;

import io.tandem.model.FrameworkId;
import io.tandem.model.Resource;
import io.tandem.model.Resources;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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

    /** Every declared task that can never run, as the cluster and quotas stand. */
    static List<UnmetDemand> find(Map<FrameworkId, FrameworkState> frameworks, Collection<Resources> agentTotals,
            Quotas quotas) {
        List<UnmetDemand> out = new ArrayList<>();
        frameworks.forEach((id, state) -> state.demand.forEach((role, shapes) -> {
            List<Resources> capacities = agentTotals.stream().map(total -> total.usableBy(role)).toList();
            Map<String, Double> limit = quotas.limitHeadroom(role, r -> Resources.empty());
            shapes.stream().filter(s -> s.count() > 0).forEach(shape -> why(shape, capacities, limit)
                    .ifPresent(why -> out.add(new UnmetDemand(id, role, shape, why))));
        }));
        return out;
    }

    /** Why no task of the shape can ever be placed, if so: no agent could hold it, or a quota limit is lower. */
    static Optional<String> why(TaskShape shape, List<Resources> capacities, Map<String, Double> limit) {
        for (var need : shape.resources().scalars().entrySet()) {
            Double max = limit.get(need.getKey());
            if (max != null && max < need.getValue()) {
                return Optional.of("a task of " + shape.resources() + " exceeds the role's quota limit "
                        + Resource.scalar(need.getKey(), max));
            }
        }
        return Optional.ofNullable(Placement.whyItNeverFits(shape.resources(), capacities));
    }
}
