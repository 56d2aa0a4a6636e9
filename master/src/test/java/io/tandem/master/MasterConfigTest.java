package io.tandem.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MasterConfigTest {
    private static final Path DIR = Path.of("/tmp/tandem-master");

    @Test
    void defaultsAreMesossOwn() {
        MasterConfig config = MasterConfig.defaults(DIR);

        assertThat(config.port()).isEqualTo(5050);
        assertThat(config.heartbeatInterval()).isEqualTo(Duration.ofSeconds(15));
        assertThat(config.agentTimeout()).isEqualTo(Duration.ofSeconds(15));
        assertThat(config.offerTimeout()).isEmpty();
        assertThat(config.allocator()).isEqualTo("drf");
        assertThat(config.fairShareResource()).isEqualTo("cpus");
    }

    @Test
    void maxMinFairnessSharesTheNamedResource() {
        MasterConfig config = MasterConfig.defaults(DIR).withAllocator("mmf", "mem");

        assertThat(config.allocator()).isEqualTo("mmf");
        assertThat(config.fairShareResource()).isEqualTo("mem");
    }

    @Test
    void anUnknownPolicyIsRefusedWithTheKnownOnes() {
        assertThatThrownBy(() -> MasterConfig.defaults(DIR).withAllocator("fair", "cpus"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'fair'").hasMessageContaining("drf, mmf");
        assertThatThrownBy(() -> MasterConfig.defaults(DIR).withAllocator("mmf", " "))
                .hasMessageContaining("fairShareResource");
    }

    @Test
    void badValuesAreRefusedByName() {
        MasterConfig ok = MasterConfig.defaults(DIR);

        assertThatThrownBy(() -> ok.withBind("127.0.0.1", 70_000))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("port").hasMessageContaining("70000");
        assertThatThrownBy(() -> ok.withHeartbeatInterval(Duration.ZERO)).hasMessageContaining("heartbeatInterval");
        assertThatThrownBy(() -> ok.withOfferTimeout(Optional.of(Duration.ofSeconds(-1))))
                .hasMessageContaining("offerTimeout");
        assertThatThrownBy(() -> ok.withAllocator("fifo")).hasMessageContaining("'fifo'").hasMessageContaining("drf");
        assertThatThrownBy(() -> ok.withBind(" ", 0)).hasMessageContaining("bindHost");
    }

    @Test
    void agentsMustHaveTimeToReportBeforeTheyTimeOut() {
        assertThatThrownBy(() -> MasterConfig.defaults(DIR).withAgentTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(5)))
                .hasMessageContaining("agentTimeout").hasMessageContaining("agentReportInterval");
    }
}
