package io.tandem.agent.sandbox;

import io.tandem.agent.process.Sandboxes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.DoubleSupplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sandbox garbage collection, after Mesos's {@code gc_delay}: the sandbox of a task or executor
 * that ended is removed {@code delay} after the end, and sooner while the work directory's file
 * system is fuller than {@link #DISK_FULL} (then ended sandboxes go, oldest first, until it is not).
 * Sandboxes found on disk at start (an earlier run's) count as ended when their newest log was
 * last written. A sandbox in use again (a task relaunched under the same id) is never removed.
 *
 * <p>Thread-safe: {@link #inUse}/{@link #released} come from launch threads and the agent loop,
 * {@link #sweep} from the housekeeping thread; one lock guards the books, and a sweep holds it while
 * it deletes, so a launch never recreates a directory that is being deleted.
 */
public final class SandboxCollector implements Sandboxes.Lifecycle {
    private static final Logger log = LoggerFactory.getLogger(SandboxCollector.class);
    /** Fraction of the work dir's file system in use above which ended sandboxes are removed at once. */
    public static final double DISK_FULL = 0.9;

    private final Duration delay;
    private final InstantSource clock;
    private final DoubleSupplier diskUsage;
    private final Set<Path> live = new HashSet<>();
    /** Ended sandboxes and when they ended, oldest first. */
    private final Map<Path, Instant> ended = new LinkedHashMap<>();

    /**
     * @param diskUsage the used fraction (0..1) of the file system holding the sandboxes
     */
    public SandboxCollector(Duration delay, InstantSource clock, DoubleSupplier diskUsage) {
        this.delay = delay;
        this.clock = clock;
        this.diskUsage = diskUsage;
    }

    /** Used fraction of {@code dir}'s file system, for {@code diskUsage}; 0 when it cannot be read. */
    public static double usageOf(Path dir) {
        try {
            var store = Files.getFileStore(dir);
            long total = store.getTotalSpace();
            return total <= 0 ? 0 : 1.0 - (double) store.getUsableSpace() / total;
        } catch (IOException e) {
            return 0;
        }
    }

    @Override
    public synchronized void inUse(Path sandbox) {
        live.add(sandbox);
        ended.remove(sandbox);
    }

    @Override
    public synchronized void released(Path sandbox) {
        if (live.remove(sandbox) || !ended.containsKey(sandbox)) {
            ended.remove(sandbox);
            ended.put(sandbox, clock.instant());
        }
    }

    /** Books sandboxes an earlier run left, as ended when their logs were last written. */
    public synchronized void adopt(List<Path> sandboxes) {
        sandboxes.stream().filter(s -> !live.contains(s) && !ended.containsKey(s))
                .map(s -> Map.entry(s, lastWritten(s)))
                .sorted(Map.Entry.comparingByValue())
                .forEach(e -> ended.put(e.getKey(), e.getValue()));
    }

    /** Sandboxes of running tasks and executors: the only ones whose logs still grow. */
    public synchronized List<Path> live() {
        return List.copyOf(live);
    }

    /** Sandboxes waiting to be removed. */
    public synchronized Set<Path> pending() {
        return Set.copyOf(ended.keySet());
    }

    /** Removes the sandboxes due now (and more while the disk is nearly full); returns how many. */
    public synchronized int sweep() {
        Instant now = clock.instant();
        int removed = 0;
        // The file system is asked once a sweep, and again only after a removal made for room: a
        // statvfs per waiting sandbox, under the lock launches take, held up a burst of launches.
        boolean full = !ended.isEmpty() && diskUsage.getAsDouble() > DISK_FULL;
        for (Map.Entry<Path, Instant> entry : List.copyOf(ended.entrySet())) {
            boolean due = !entry.getValue().plus(delay).isAfter(now);
            if (due || full) {
                ended.remove(entry.getKey());
                boolean deleted = delete(entry.getKey());
                if (full) {
                    full = diskUsage.getAsDouble() > DISK_FULL;
                }
                if (deleted) {
                    removed++;
                    log.info("removed sandbox {} ({})", entry.getKey(),
                            due ? "ended " + Duration.between(entry.getValue(), now).toSeconds() + "s ago"
                                    : "the disk is more than " + Math.round(DISK_FULL * 100) + "% full");
                }
            }
        }
        return removed;
    }

    private static boolean delete(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
            return true;
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException | UncheckedIOException e) {
            log.warn("cannot remove sandbox {}; leaving it: {}", dir, e.getMessage());
            return false;
        }
    }

    private static Instant lastWritten(Path sandbox) {
        Instant newest = Instant.EPOCH;
        for (Path path : List.of(sandbox, sandbox.resolve("stdout"), sandbox.resolve("stderr"))) {
            try {
                Instant modified = Files.getLastModifiedTime(path).toInstant();
                newest = modified.isAfter(newest) ? modified : newest;
            } catch (IOException e) {
                // not there: the others decide
            }
        }
        return newest;
    }
}
