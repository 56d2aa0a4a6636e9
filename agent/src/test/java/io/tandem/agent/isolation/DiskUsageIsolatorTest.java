package io.tandem.agent.isolation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.mesos.v1.Protos.ResourceStatistics;
import org.apache.mesos.v1.Protos.TaskStatus.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskUsageIsolatorTest {
    @TempDir
    Path sandbox;

    private final AtomicLong nanos = new AtomicLong(1_000);
    private final DiskUsageIsolator disk = new DiskUsageIsolator(Duration.ofSeconds(15), nanos::get);

    private Container container(long diskBytes) {
        return new Container("agent/fw.t", new Limits(1, 0, 0, 0, diskBytes), sandbox, null);
    }

    @Test
    void measuresTheSandboxAtOnceThenAtMostOncePerInterval() throws IOException {
        Container container = container(1000);
        Files.write(sandbox.resolve("a"), new byte[400]);

        assertThat(disk.limitation(container)).isEmpty();
        Files.createDirectories(sandbox.resolve("tmp"));
        Files.write(sandbox.resolve("tmp/b"), new byte[700]);
        nanos.addAndGet(Duration.ofSeconds(14).toNanos());

        assertThat(disk.limitation(container)).isEmpty();
        assertThat(container.diskUsedBytes()).isEqualTo(400);

        nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        assertThat(disk.limitation(container)).get().satisfies(l -> {
            assertThat(l.reason()).isEqualTo(Reason.REASON_CONTAINER_LIMITATION_DISK);
            assertThat(l.message()).contains("1100 bytes", "1000 bytes");
        });
    }

    @Test
    void overUseStaysReportedEvenAfterTheFilesAreGone() throws IOException {
        Container container = container(10);
        Files.write(sandbox.resolve("big"), new byte[100]);
        assertThat(disk.limitation(container)).isPresent();

        Files.delete(sandbox.resolve("big"));
        nanos.addAndGet(Duration.ofMinutes(1).toNanos());

        assertThat(disk.limitation(container)).isPresent();
    }

    @Test
    void withoutADiskResourceUseIsMeasuredButNeverALimitation() throws IOException {
        Container container = container(0);
        Files.write(sandbox.resolve("big"), new byte[5000]);

        assertThat(disk.limitation(container)).isEmpty();
        ResourceStatistics.Builder statistics = ResourceStatistics.newBuilder();
        disk.usage(container, statistics);

        assertThat(statistics.getDiskUsedBytes()).isEqualTo(5000);
        assertThat(statistics.hasDiskLimitBytes()).isFalse();
    }

    @Test
    void aNonPositiveIntervalIsRefused() {
        assertThatThrownBy(() -> new DiskUsageIsolator(Duration.ZERO, System::nanoTime))
                .hasMessageContaining("interval must be positive");
    }
}
