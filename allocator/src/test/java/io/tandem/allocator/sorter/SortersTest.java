package io.tandem.allocator.sorter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SortersTest {

    @Test
    void findsDrfByName() {
        assertThat(Sorters.byName("drf")).isInstanceOf(DrfSorter.class);
        assertThat(Sorters.names()).contains("drf");
    }

    @Test
    void unknownNameListsTheKnownOnes() {
        assertThatThrownBy(() -> Sorters.byName("fifo"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown sorter 'fifo'; known sorters: drf");
    }
}
