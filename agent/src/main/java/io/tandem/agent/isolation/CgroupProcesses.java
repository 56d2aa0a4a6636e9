package io.tandem.agent.isolation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * The processes in one cgroup ({@code cgroup.procs}, the same file in v1 and v2), and the loop that
 * kills them all: the agent's guarantee that nothing a task started outlives it, daemons included.
 * Blocking; call it off the agent loop.
 */
final class CgroupProcesses {
    private static final Duration PATIENCE = Duration.ofSeconds(10);
    private static final long POLL_MILLIS = 5;

    private CgroupProcesses() {}

    static List<Long> list(Path cgroup) throws IOException {
        try {
            return Files.readAllLines(cgroup.resolve("cgroup.procs")).stream()
                    .map(String::strip).filter(s -> !s.isEmpty()).map(Long::parseLong).toList();
        } catch (NoSuchFileException e) {
            return List.of();
        }
    }

    /**
     * SIGKILLs every process in {@code cgroup} until it is empty. A process forking while we read
     * the list adds one more round; the pids limit bounds how many rounds a fork bomb can cost.
     *
     * @throws IOException when processes remain after {@link #PATIENCE}
     */
    static void killAll(Path cgroup) throws IOException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        List<Long> pids = list(cgroup);
        while (!pids.isEmpty()) {
            for (long pid : pids) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("processes " + pids + " of " + cgroup + " survived SIGKILL for " + PATIENCE);
            }
            pause();
            pids = list(cgroup);
        }
    }

    /** The names of the cgroups directly below {@code dir}; none when it does not exist. */
    static List<String> children(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** Writes {@code value} to a control file, saying which file refused it. */
    static void write(Path file, String value) throws IOException {
        try {
            Files.writeString(file, value);
        } catch (IOException e) {
            throw new IOException("cannot write '" + value + "' to " + file + ": " + e, e);
        }
    }

    /** Removes a cgroup directory, retrying while the kernel still counts exiting processes in it. */
    static void remove(Path cgroup) throws IOException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        for (;;) {
            try {
                Files.delete(cgroup);
                return;
            } catch (NoSuchFileException e) {
                return;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("cannot remove cgroup " + cgroup + ": " + e, e);
                }
                pause();
            }
        }
    }

    static void pause() throws IOException {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
