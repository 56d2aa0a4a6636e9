package io.tandem.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MasterTest {
    @TempDir
    Path dir;

    @Test
    void anEphemeralPortIsChosenAndAdvertised() {
        try (Master master = Master.start(LoopDriver.config(dir), new TestClock())) {
            assertThat(master.port()).isPositive();
            assertThat(master.url().toString()).isEqualTo("http://127.0.0.1:" + master.port());
        }
    }

    @Test
    void aTakenPortIsReportedClearly() {
        try (Master first = Master.start(LoopDriver.config(dir), new TestClock())) {
            assertThatThrownBy(() -> Master.start(LoopDriver.config(dir).withBind("127.0.0.1", first.port()),
                    new TestClock()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("cannot start the master on 127.0.0.1:" + first.port());
        }
    }

    @Test
    void masterInfoPacksTheIpAsMesosDoes() {
        assertThat(Master.packedIp("127.0.0.1")).isEqualTo(0x0100007F);
        assertThat(Master.masterInfo("m", "127.0.0.1", 5050).getAddress().getIp()).isEqualTo("127.0.0.1");
    }
}
