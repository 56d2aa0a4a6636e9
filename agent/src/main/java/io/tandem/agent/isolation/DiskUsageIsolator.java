package io.tandem.agent.isolation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.apache.mesos.v1.Protos.ResourceStatistics;
import org.apache.mesos.v1.Protos.TaskStatus.Reason;

/**
 * {@code disk/du}: measures what a task's sandbox holds (the sizes of its files, as {@code du
 * --apparent-size} would sum them) at most once per {@code interval}, and reports a limitation once
 * it exceeds the task's {@code disk} resource. As in Mesos, the check is after the fact: a task may
 * write past its quota for up to one interval before it is killed.
 *
 * <p>Thread-safe: the measurement and its time live in the {@link Container}'s volatile fields.
 */
public final class DiskUsageIsolator implements Isolator {
    public static final String NAME = "disk/du";
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(15);

    private final Duration interval;
    private final LongSupplier nanoTime;

    /** @param nanoTime a monotonic clock in nanoseconds, e.g. {@code System::nanoTime} */
    public DiskUsageIsolator(Duration interval, LongSupplier nanoTime) {
        if (interval == null || interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("the disk watch interval must be positive, got " + interval);
        }
        this.interval = interval;
        this.nanoTime = nanoTime;
    }

    @Override
    public List<String> names() {
        return List.of(NAME);
    }

    /**
     * Measures the sandbox when the last measurement is older than the interval; the first check
     * always measures. Once over the limit, the limitation stays.
     */
    @Override
    public Optional<Limitation> limitation(Container container) {
        Optional<Limitation> hit = container.diskLimitation();
        if (hit.isPresent() || container.sandbox().isEmpty()) {
            return hit;
        }
        long now = nanoTime.getAsLong();
        if (container.diskUsedBytes() >= 0 && now - container.diskCheckedNanos() < interval.toNanos()) {
            return Optional.empty();
        }
        long used = bytesIn(container.sandbox().get());
        container.diskMeasured(used, now);
        long limit = container.limits().diskBytes();
        if (limit > 0 && used > limit) {
            Limitation limitation = new Limitation(Reason.REASON_CONTAINER_LIMITATION_DISK,
                    "Disk usage (" + CgroupController.megabytes(used) + ", " + used + " bytes) exceeds quota ("
                            + CgroupController.megabytes(limit) + ", " + limit + " bytes) of the sandbox");
            container.diskLimitation(limitation);
            return Optional.of(limitation);
        }
        return Optional.empty();
    }

    /** The last measurement (none before the first) and the limit. */
    @Override
    public void usage(Container container, ResourceStatistics.Builder statistics) {
        if (container.diskUsedBytes() >= 0) {
            statistics.setDiskUsedBytes(container.diskUsedBytes());
        }
        if (container.limits().diskBytes() > 0) {
            statistics.setDiskLimitBytes(container.limits().diskBytes());
        }
    }

    /** The sum of the sizes of the regular files below {@code dir}; files that vanish meanwhile count 0. */
    static long bytesIn(Path dir) {
        long[] total = {0};
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                    if (attributes.isRegularFile()) {
                        total[0] += attributes.size();
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE; // deleted while we walked, or unreadable: skip it
                }
            });
        } catch (NoSuchFileException e) {
            return 0;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot measure " + dir, e);
        }
        return total[0];
    }
}
