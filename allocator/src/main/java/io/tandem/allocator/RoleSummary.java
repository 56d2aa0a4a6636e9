package io.tandem.allocator;

import io.tandem.model.FrameworkId;
import io.tandem.model.Resources;
import java.util.List;
import java.util.Optional;

/**
 * One role as GET_ROLES and {@code tandem roles} show it.
 *
 * @param allocated scalars allocated to the role and the roles below it (what the role sorter compares)
 * @param share the role sorter's number for it (DRF: dominant share divided by the weight)
 * @param frameworks the frameworks subscribed to the role, or holding resources under it
 */
public record RoleSummary(String role, Resources allocated, double share, double weight, Optional<Quota> quota,
        List<FrameworkSummary> frameworks) {

    /**
     * One framework within a role.
     *
     * @param allocated scalars it holds under the role
     * @param share the framework sorter's number for it within the role
     * @param demand declared tasks not granted yet (empty: it declared nothing, or all was granted)
     * @param unsatisfiable declared tasks that can never run, with the reason
     */
    public record FrameworkSummary(FrameworkId frameworkId, Resources allocated, double share,
            List<TaskShape> demand, List<UnmetDemand> unsatisfiable) {}
}
