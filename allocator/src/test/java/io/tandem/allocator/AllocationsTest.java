package io.tandem.allocator;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.model.AgentId;
import io.tandem.model.FrameworkId;
import io.tandem.model.Resources;
import org.junit.jupiter.api.Test;

class AllocationsTest {
    private static final FrameworkId F = FrameworkId.of("f");
    private static final AgentId A = AgentId.of("a");

    @Test
    void keepsSubtreeSumsForEveryAncestor() {
        Allocations allocations = new Allocations();
        allocations.add(F, A, "eng/prod/web", Resources.parse("cpus:2;mem:10"));
        allocations.add(F, A, "eng/dev", Resources.parse("cpus:1"));

        assertThat(allocations.scalarsOfSubtree("eng")).isEqualTo(Resources.parse("cpus:3;mem:10"));
        assertThat(allocations.scalarsOfSubtree("eng/prod")).isEqualTo(Resources.parse("cpus:2;mem:10"));

        allocations.remove(F, A, "eng/prod/web", Resources.parse("cpus:2;mem:10"));
        assertThat(allocations.scalarsOfSubtree("eng")).isEqualTo(Resources.parse("cpus:1"));
        assertThat(allocations.scalarsOfSubtree("eng/prod").isEmpty()).isTrue();
    }

    @Test
    void releasesResourcesWithoutScalarsPieceByPiece() {
        Allocations allocations = new Allocations();
        allocations.add(F, A, "eng", Resources.parse("ports:[1-2]"));
        allocations.add(F, A, "eng", Resources.parse("ports:[5-6]"));

        allocations.remove(F, A, "eng", Resources.parse("ports:[1-2]"));
        allocations.remove(F, A, "eng", Resources.parse("ports:[5-6]"));

        assertThat(allocations.heldOn(F, A)).isEmpty();
        assertThat(allocations.roles()).isEmpty();
    }
}
