package io.tandem.allocator;

import io.tandem.model.AgentId;
import io.tandem.model.FrameworkId;
import io.tandem.model.Resources;
import java.util.Objects;

/**
 * Resources of one agent given to one framework, under one of its roles: the content of one offer.
 * Granted resources count as allocated until {@link Allocator#recover recovered}.
 */
public record Grant(FrameworkId frameworkId, String role, AgentId agentId, Resources resources) {
    public Grant {
        Objects.requireNonNull(frameworkId, "frameworkId");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(resources, "resources");
    }
}
