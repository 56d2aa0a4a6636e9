package io.tandem.allocator.sorter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.tandem.model.Resources;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MaxMinSorterTest {
    private static final Resources TOTAL = Resources.parse("cpus:100;mem:1000");

    private static List<String> names(List<Client> clients) {
        return clients.stream().map(Client::name).toList();
    }

    @Test
    void ordersByTheOneResourceAlone() {
        Client fewCpusMuchMemory = Client.of("a", Resources.parse("cpus:1;mem:900"));
        Client moreCpus = Client.of("b", Resources.parse("cpus:2"));

        assertThat(names(new MaxMinSorter().sort(List.of(moreCpus, fewCpusMuchMemory), TOTAL)))
                .containsExactly("a", "b");
        assertThat(names(new MaxMinSorter("mem").sort(List.of(moreCpus, fewCpusMuchMemory), TOTAL)))
                .containsExactly("b", "a");
    }

    @Test
    void dividesByTheWeightAndBreaksTiesByName() {
        Client weighted = new Client("z", Resources.parse("cpus:4"), 2.0);
        Client plain = Client.of("y", Resources.parse("cpus:2"));

        assertThat(names(new MaxMinSorter().sort(List.of(weighted, plain), TOTAL))).containsExactly("y", "z");
    }

    @Test
    void waterFillingReproducesTheArticlesExampleInTwoRounds() {
        var result = WaterFilling.of(100, Map.of("A", 35.0, "B", 10.0, "C", 25.0, "D", 45.0));

        assertThat(result.shares()).containsEntry("B", 10.0).containsEntry("C", 25.0);
        assertThat(result.shares().get("A")).isEqualTo(32.5, within(1e-9));
        assertThat(result.shares().get("D")).isEqualTo(32.5, within(1e-9));
        assertThat(WaterFilling.describe(result)).containsExactly(
                "round 1: 25 each; B keeps 10; 15 left over",
                "round 2: 7.5 each; 0 left over");
    }

    @Test
    void waterFillingStopsWhenEveryoneIsSatisfied() {
        var result = WaterFilling.of(100, Map.of("A", 10.0, "B", 20.0));

        assertThat(result.shares()).isEqualTo(Map.of("A", 10.0, "B", 20.0));
        assertThat(result.rounds()).hasSize(1);
        assertThat(result.rounds().getFirst().leftover()).isEqualTo(70.0, within(1e-9));
    }
}
