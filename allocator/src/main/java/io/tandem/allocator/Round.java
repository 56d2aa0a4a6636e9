package io.tandem.allocator;

import io.tandem.model.FrameworkId;
import java.time.Instant;
import java.util.List;

/**
 * What one {@link Allocator#allocate} call decided: the grants, and for every (framework, role) that was
 * passed over somewhere, why. A framework that got no grant at all can be explained from its refusals.
 */
public record Round(Instant at, List<Grant> grants, List<Refusal> refusals) {
    public static final Round NONE = new Round(Instant.EPOCH, List.of(), List.of());

    public Round {
        grants = List.copyOf(grants);
        refusals = List.copyOf(refusals);
    }

    public List<Grant> grantsFor(FrameworkId framework) {
        return grants.stream().filter(g -> g.frameworkId().equals(framework)).toList();
    }

    public List<Refusal> refusalsFor(FrameworkId framework) {
        return refusals.stream().filter(r -> r.frameworkId().equals(framework)).toList();
    }
}
