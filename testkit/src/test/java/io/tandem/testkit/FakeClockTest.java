package io.tandem.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class FakeClockTest {

    @Test
    void standsStillUntilAdvanced() {
        FakeClock clock = new FakeClock(Instant.parse("2030-05-01T10:00:00Z"));

        assertThat(clock.instant()).isEqualTo(clock.instant());
        assertThat(clock.advance(Duration.ofSeconds(90))).isEqualTo(Instant.parse("2030-05-01T10:01:30Z"));
        assertThat(clock.millis()).isEqualTo(Instant.parse("2030-05-01T10:01:30Z").toEpochMilli());
    }

    @Test
    void refusesToGoBackwards() {
        FakeClock clock = new FakeClock();

        assertThatThrownBy(() -> clock.advance(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("forward");
        assertThat(clock.instant()).isEqualTo(Instant.parse("2025-01-01T00:00:00Z"));
    }
}
