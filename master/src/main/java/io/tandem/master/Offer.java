package io.tandem.master;

import io.tandem.model.AgentId;
import io.tandem.model.FrameworkId;
import io.tandem.model.OfferId;
import io.tandem.model.Resources;
import java.time.Instant;
import java.util.Objects;

/**
 * Resources of one agent offered to one framework for one of its roles. Until the framework
 * accepts or declines it (or it is rescinded), the allocator counts them as allocated to it.
 */
record Offer(OfferId id, FrameworkId frameworkId, AgentId agentId, String role, Resources resources,
             Instant createdAt) {
    Offer {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(frameworkId, "frameworkId");
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(resources, "resources");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
