package io.tandem.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RemovalRateLimitTest {
    @Test
    void readsMesosAndTandemSpellings() {
        assertThat(RemovalRateLimit.parse("1/10mins")).isEqualTo(new RemovalRateLimit(1, Duration.ofMinutes(10)));
        assertThat(RemovalRateLimit.parse("5/1s").interval()).isEqualTo(Duration.ofMillis(200));
        assertThat(RemovalRateLimit.parse("2/1h")).hasToString("2/1h");
    }

    @Test
    void refusalNamesTheText() {
        assertThatThrownBy(() -> RemovalRateLimit.parse("ten per minute")).hasMessageContaining("'ten per minute'");
        assertThatThrownBy(() -> RemovalRateLimit.parse("0/1m")).hasMessageContaining("at least 1 agent");
        assertThatThrownBy(() -> RemovalRateLimit.parse("1/0s")).hasMessageContaining("positive period");
    }
}
