package io.tandem.allocator.sorter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.tandem.model.Resources;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DrfSorterTest {
    private static final Resources TOTAL = Resources.parse("cpus:10;mem:100");
    private final DrfSorter drf = new DrfSorter();

    private static List<String> names(List<Client> clients) {
        return clients.stream().map(Client::name).toList();
    }

    @Test
    void ordersByDominantShare() {
        Client cpuHeavy = Client.of("a", Resources.parse("cpus:5;mem:10"));   // dominant: cpus 0.5
        Client memHeavy = Client.of("b", Resources.parse("cpus:1;mem:30"));   // dominant: mem 0.3
        Client idle = Client.of("c", Resources.empty());                      // 0

        assertThat(names(drf.sort(List.of(cpuHeavy, memHeavy, idle), TOTAL))).containsExactly("c", "b", "a");
    }

    @Test
    void breaksTiesByName() {
        Client z = Client.of("z", Resources.parse("cpus:2"));
        Client y = Client.of("y", Resources.parse("mem:20"));

        assertThat(names(drf.sort(List.of(z, y), TOTAL))).containsExactly("y", "z");
    }

    @Test
    void dividesTheShareByTheWeight() {
        Client heavyButWeighted = new Client("a", Resources.parse("cpus:6"), 3.0);   // 0.6 / 3 = 0.2
        Client light = Client.of("b", Resources.parse("cpus:3"));                    // 0.3

        assertThat(DrfSorter.dominantShare(heavyButWeighted, TOTAL.scalars())).isEqualTo(0.2, within(1e-9));
        assertThat(names(drf.sort(List.of(light, heavyButWeighted), TOTAL))).containsExactly("a", "b");
    }

    @Test
    void ignoresResourcesTheClusterHasNoneOf() {
        Client gpuUser = Client.of("a", Resources.parse("gpus:1;cpus:1"));

        assertThat(DrfSorter.dominantShare(gpuUser, Map.of("cpus", 10.0, "gpus", 0.0))).isEqualTo(0.1, within(1e-9));
    }

    @Test
    void refusesNonPositiveWeights() {
        assertThatThrownBy(() -> new Client("a", Resources.empty(), 0))
                .hasMessage("weight of 'a' must be positive and finite, got 0.0");
    }

    @Test
    void firstIsTheHeadOfTheOrder() {
        Client a = Client.of("a", Resources.parse("cpus:5;mem:10"));
        Client b = Client.of("b", Resources.parse("cpus:1;mem:30"));
        Client c = Client.of("c", Resources.parse("cpus:3"));   // 0.3, ties with b: b wins by name

        assertThat(drf.first(List.of(a, c, b), TOTAL)).isEqualTo(drf.sort(List.of(a, b, c), TOTAL).getFirst())
                .isEqualTo(b);
        assertThat(drf.first(List.of(), TOTAL)).isNull();
    }
}
