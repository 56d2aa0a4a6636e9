package io.tandem.agent.sandbox;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps task and executor logs bounded without standing between the process and its files: the
 * process writes {@code stdout} and {@code stderr} itself with O_APPEND (so it keeps writing while
 * the agent is down), and the agent copy-truncates a file once it exceeds the size limit:
 * {@code stdout.N-1 -> stdout.N, ..., stdout -> stdout.1} (a copy), then {@code stdout} is
 * truncated to zero and the process's next write lands at its start.
 *
 * <p>The window: what the process writes between the end of the copy and the truncation is lost.
 * The copy is repeated while the file still grows (a few times at most) to keep that window to
 * microseconds, but a busy writer can lose a line per rotation.
 *
 * <p>Stateless apart from its limits; blocking file I/O, run on the housekeeping thread.
 */
public final class LogRotation {
    private static final Logger log = LoggerFactory.getLogger(LogRotation.class);
    static final List<String> LOGS = List.of("stdout", "stderr");
    private static final int CATCH_UP_ROUNDS = 4;

    private final long maxSize;
    private final int maxFiles;

    public LogRotation(long maxSize, int maxFiles) {
        this.maxSize = maxSize;
        this.maxFiles = maxFiles;
    }

    /** Rotates the logs in each of {@code sandboxes} that outgrew the limit. */
    public void rotateAll(List<Path> sandboxes) {
        for (Path sandbox : sandboxes) {
            for (String name : LOGS) {
                Path file = sandbox.resolve(name);
                try {
                    if (Files.isRegularFile(file) && Files.size(file) > maxSize) {
                        rotate(file);
                    }
                } catch (NoSuchFileException e) {
                    // the sandbox was removed meanwhile
                } catch (IOException e) {
                    log.warn("cannot rotate {}: {}", file, e.getMessage());
                }
            }
        }
    }

    /** Shifts the rotated files up by one, copies {@code file} to {@code file.1}, and truncates it. */
    void rotate(Path file) throws IOException {
        String name = file.getFileName().toString();
        Files.deleteIfExists(file.resolveSibling(name + "." + maxFiles));
        for (int i = maxFiles - 1; i >= 1; i--) {
            Path older = file.resolveSibling(name + "." + i);
            if (Files.exists(older)) {
                Files.move(older, file.resolveSibling(name + "." + (i + 1)), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Path first = file.resolveSibling(name + ".1");
        try (FileChannel source = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
             FileChannel copy = FileChannel.open(first, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                     StandardOpenOption.TRUNCATE_EXISTING)) {
            long copied = 0;
            for (int round = 0; round < CATCH_UP_ROUNDS && copied < source.size(); round++) {
                copied += copyRange(source, copy, copied, source.size());
            }
            source.truncate(0);
        }
        log.debug("rotated {}", file);
    }

    private static long copyRange(FileChannel source, FileChannel target, long from, long to) throws IOException {
        long position = from;
        while (position < to) {
            long moved = source.transferTo(position, to - position, target);
            if (moved <= 0) {
                break;
            }
            position += moved;
        }
        return position - from;
    }
}
