package io.tandem.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.model.Resources;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MachineResourcesTest {
    @TempDir
    Path workDir;

    @Test
    void memoryKeepsOneGigabyteOrHalfForTheSystem() {
        assertThat(MachineResources.memoryMb(16384)).isEqualTo(15360);
        assertThat(MachineResources.memoryMb(2048)).isEqualTo(1024);
        assertThat(MachineResources.memoryMb(1024)).isEqualTo(512);
    }

    @Test
    void diskKeepsFiveGigabytesOrHalf() {
        assertThat(MachineResources.diskMb(100_000)).isEqualTo(100_000 - 5120);
        assertThat(MachineResources.diskMb(4000)).isEqualTo(2000);
    }

    @Test
    void givenResourcesWinAndTheRestIsDetected() {
        Resources total = MachineResources.complete(Resources.parse("cpus:3;gpus:1"), workDir);

        assertThat(total.scalar("cpus")).isEqualTo(3);
        assertThat(total.scalar("gpus")).isEqualTo(1);
        assertThat(total.scalar("mem")).isPositive();
        assertThat(total.scalar("disk")).isPositive();
        assertThat(total.ranges("ports").size()).isEqualTo(1001);
    }
}
