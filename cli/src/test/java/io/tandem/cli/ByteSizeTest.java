package io.tandem.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ByteSizeTest {
    @Test
    void readsUnitsInPowersOf1024() {
        assertThat(ByteSize.parse("--x", "4096B")).isEqualTo(4096);
        assertThat(ByteSize.parse("--x", "512KB")).isEqualTo(512 * 1024);
        assertThat(ByteSize.parse("--x", "10mb")).isEqualTo(10L * 1024 * 1024);
        assertThat(ByteSize.parse("--x", "1.5GB")).isEqualTo(3L * 512 * 1024 * 1024);
    }

    @Test
    void aSizeWithoutAUnitIsRefusedNamingTheOption() {
        assertThatThrownBy(() -> ByteSize.parse("--sandbox-log-max-size", "lots"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--sandbox-log-max-size 'lots' is not a size; write a number and a unit: 4096B, 512KB,"
                        + " 10MB or 1GB");
    }
}
