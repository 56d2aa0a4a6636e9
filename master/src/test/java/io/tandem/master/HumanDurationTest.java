package io.tandem.master;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class HumanDurationTest {
    @Test
    void writesDurationsAsPeopleDo() {
        assertThat(HumanDuration.format(Duration.ofSeconds(3))).isEqualTo("3s");
        assertThat(HumanDuration.format(Duration.ofSeconds(90))).isEqualTo("1m30s");
        assertThat(HumanDuration.format(Duration.ofHours(2))).isEqualTo("2h");
        assertThat(HumanDuration.format(Duration.ofDays(7).plusMinutes(1))).isEqualTo("7d1m");
        assertThat(HumanDuration.format(Duration.ofMillis(1500))).isEqualTo("1.5s");
        assertThat(HumanDuration.format(Duration.ofMillis(61_025))).isEqualTo("1m1.025s");
        assertThat(HumanDuration.format(Duration.ofMillis(250))).isEqualTo("250ms");
        assertThat(HumanDuration.format(Duration.ZERO)).isEqualTo("0s");
        assertThat(HumanDuration.format(Duration.ofSeconds(-5))).isEqualTo("-5s");
    }
}
