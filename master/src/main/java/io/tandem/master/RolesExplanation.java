package io.tandem.master;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.tandem.allocator.RoleSummary;
import io.tandem.allocator.TaskShape;
import io.tandem.allocator.UnmetDemand;
import io.tandem.model.FrameworkId;
import io.tandem.model.Resources;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /roles/explain}: Tandem's explanation of the allocation, in JSON, for what Mesos's {@code Role}
 * message has no field for: per role and per framework the allocation, dominant share, the sorter's share,
 * weight, quota, declared demand and the demand that can never be met with its reason. Resources are written
 * in Tandem's spec format ({@code cpus:2;mem:8192}), which {@code Resources.parse} reads. Stateless.
 */
final class RolesExplanation {
    static final String PATH = "/roles/explain";

    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    /** The whole answer; field names are snake_case in the JSON. */
    record Explanation(String allocator, String fairShareResource, String cluster, List<String> quotaWarnings,
                       List<RoleView> roles) {}

    /**
     * @param dominantShare {@code max_r(allocated_r / cluster_r)}, weight not applied
     * @param share the role sorter's number (DRF: dominant share / weight); the lowest is served first
     */
    record RoleView(String role, String allocated, double dominantShare, double share, double weight,
                    QuotaView quota, List<FrameworkView> frameworks) {}

    record QuotaView(String guarantee, String limit) {}

    record FrameworkView(String frameworkId, String name, String allocated, double dominantShare, double share,
                         List<ShapeView> demand, List<ShapeView> unmet) {}

    /** {@code reason} is set only for unmet demand. */
    record ShapeView(String resources, int count, String reason) {}

    private RolesExplanation() {}

    static String json(ClusterSnapshot s) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(explain(s));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Explanation explain(ClusterSnapshot s) {
        ClusterSnapshot.RolesView roles = s.roles();
        Map<FrameworkId, String> names = new HashMap<>();
        s.frameworks().forEach(f -> names.put(MesosIds.of(f.info().getId()), f.info().getName()));
        List<RoleView> views = roles.summaries().stream().map(r -> role(r, roles.cluster(), names)).toList();
        return new Explanation(roles.policy(), roles.fairShareResource(), roles.cluster().toString(),
                roles.quotaWarnings(), views);
    }

    private static RoleView role(RoleSummary r, Resources cluster, Map<FrameworkId, String> names) {
        QuotaView quota = r.quota().map(q -> new QuotaView(q.guarantee().toString(), q.limit().toString()))
                .orElse(null);
        List<FrameworkView> frameworks = r.frameworks().stream().map(f -> new FrameworkView(f.frameworkId().value(),
                names.getOrDefault(f.frameworkId(), ""), f.allocated().toString(),
                dominantShare(f.allocated(), cluster), f.share(),
                f.demand().stream().map(RolesExplanation::shape).toList(),
                f.unsatisfiable().stream().map(RolesExplanation::unmet).toList())).toList();
        return new RoleView(r.role(), r.allocated().toString(), dominantShare(r.allocated(), cluster), r.share(),
                r.weight(), quota, frameworks);
    }

    private static ShapeView shape(TaskShape shape) {
        return new ShapeView(shape.resources().toString(), shape.count(), null);
    }

    private static ShapeView unmet(UnmetDemand unmet) {
        return new ShapeView(unmet.shape().resources().toString(), unmet.shape().count(), unmet.reason());
    }

    /** {@code max_r(allocated_r / cluster_r)} over the scalars the cluster has. */
    static double dominantShare(Resources allocated, Resources cluster) {
        double max = 0;
        for (var e : allocated.scalars().entrySet()) {
            double total = cluster.scalar(e.getKey());
            if (total > 0) {
                max = Math.max(max, e.getValue() / total);
            }
        }
        return max;
    }
}
