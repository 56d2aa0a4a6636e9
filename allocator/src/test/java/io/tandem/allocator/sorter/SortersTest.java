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
    void findsMaxMinByNameOverCpusUnlessToldOtherwise() {
        assertThat(Sorters.byName("mmf")).isInstanceOfSatisfying(MaxMinSorter.class,
                s -> assertThat(s.resource()).isEqualTo("cpus"));
        assertThat(Sorters.byName("mmf", "mem")).isInstanceOfSatisfying(MaxMinSorter.class,
                s -> assertThat(s.resource()).isEqualTo("mem"));
        assertThat(Sorters.byName("drf", "mem")).isInstanceOf(DrfSorter.class);
    }

    @Test
    void unknownNameListsTheKnownOnes() {
        assertThatThrownBy(() -> Sorters.byName("fifo"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown sorter 'fifo'; known sorters: drf, mmf");
    }
}
