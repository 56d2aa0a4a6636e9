package io.tandem.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class BackoffTest {
    private final Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000),
            RandomGenerator.of("L64X128MixRandom"));

    @Test
    void doublesTheCeilingEachAttemptWithJitterInTheUpperHalf() {
        long[] ceilings = {100, 200, 400, 800, 1000, 1000};
        for (long ceiling : ceilings) {
            assertThat(backoff.next().toMillis()).isBetween(ceiling / 2, ceiling);
        }
    }

    @Test
    void startsOverAfterAReset() {
        for (int i = 0; i < 10; i++) {
            backoff.next();
        }

        backoff.reset();

        assertThat(backoff.next().toMillis()).isBetween(50L, 100L);
    }

    @Test
    void refusesBoundsThatCannotWork() {
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1), RandomGenerator.getDefault()))
                .hasMessageContaining("0 < min <= max");
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), RandomGenerator.getDefault()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
