package io.tandem.allocator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tandem.allocator.sorter.DrfSorter;
import io.tandem.model.Resources;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RoleTreeTest {
    private static final Resources TOTAL = Resources.parse("cpus:10;mem:1000");
    private final RoleTree tree = new RoleTree();

    private String pick(Map<String, String> held, List<String> candidates) {
        Allocations allocations = new Allocations();
        int i = 0;
        for (var e : held.entrySet()) {
            allocations.add(io.tandem.model.FrameworkId.of("f" + i), io.tandem.model.AgentId.of("a" + i++),
                    e.getKey(), Resources.parse(e.getValue()));
        }
        return tree.pick(candidates, new DrfSorter(), TOTAL, allocations::scalarsOfRole,
                allocations::scalarsOfSubtree);
    }

    @Test
    void comparesParentsByTheSumOfTheirSubtrees() {
        // Flat, eng/b (nothing) would go first; as a tree, eng (4 cpus in all) loses to ops (3 cpus).
        Map<String, String> held = Map.of("eng/a", "cpus:4", "ops", "cpus:3");

        assertThat(pick(held, List.of("eng/a", "eng/b", "ops"))).isEqualTo("ops");
    }

    @Test
    void picksTheLowestShareAmongSiblingsOnceInsideTheParent() {
        Map<String, String> held = Map.of("eng/a", "cpus:2", "eng/b", "cpus:1", "ops", "cpus:4");

        assertThat(pick(held, List.of("eng/a", "eng/b", "ops"))).isEqualTo("eng/b");
    }

    @Test
    void aRoleWithChildrenCompetesBesideThemWithItsOwnAllocation() {
        Map<String, String> held = Map.of("eng", "cpus:1", "eng/a", "cpus:3", "ops", "cpus:5");

        assertThat(pick(held, List.of("eng", "eng/a", "ops"))).isEqualTo("eng");
    }

    @Test
    void weightsDivideTheShareAtEveryLevel() {
        tree.setWeight("eng", 4);   // eng: 0.4 / 4 = 0.1 < ops: 0.3
        Map<String, String> held = Map.of("eng/a", "cpus:4", "ops", "cpus:3");

        assertThat(pick(held, List.of("eng/a", "ops"))).isEqualTo("eng/a");
    }

    @Test
    void refusesWeightsThatAreNotPositiveAndFinite() {
        assertThatThrownBy(() -> tree.setWeight("eng", 0))
                .hasMessage("weight of role 'eng' must be a positive finite number, got 0.0");
        assertThatThrownBy(() -> tree.setWeight("eng", -1)).hasMessageContaining("got -1.0");
        assertThatThrownBy(() -> tree.setWeight("eng", Double.NaN)).hasMessageContaining("got NaN");
        assertThatThrownBy(() -> tree.setWeight("eng//x", 2)).hasMessageContaining("invalid role 'eng//x'");
        assertThat(tree.weight("eng")).isEqualTo(1.0);
    }

    @Test
    void setsAllWeightsOrNone() {
        assertThatThrownBy(() -> tree.setWeights(new java.util.TreeMap<>(Map.of("a", 2.0, "b", Double.NaN))))
                .hasMessageContaining("'b'");
        assertThat(tree.weights()).isEmpty();

        tree.setWeights(Map.of("a", 2.0, "b", 3.0));
        assertThat(tree.weights()).isEqualTo(Map.of("a", 2.0, "b", 3.0));
    }
}
