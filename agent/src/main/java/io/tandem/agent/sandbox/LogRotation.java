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
 * the agent is down), and once a file exceeds the size limit the agent shifts
 * {@code stdout.N-1 -> stdout.N, ...} and moves the file's content to {@code stdout.1}:
 *
 * <ul>
 *   <li>where the file system can (ext4, xfs): the whole blocks at the file's start are copied,
 *       then cut out of it with {@code fallocate --collapse-range}, which the kernel does atomically
 *       with respect to the writer: nothing is lost; the last partial block stays in {@code stdout};
 *   <li>elsewhere (tmpfs, overlayfs): copy-truncate. The window: what the process writes between
 *       the end of the copy and the truncation is lost. The copy catches up while the file grows,
 *       but a descheduled agent on a loaded machine can lose a few KB per rotation.
 * </ul>
 *
 * In both cases the reader's rule is the same: a position {@code p} in the old file is
 * {@code p - size(stdout.1)} in the new one when that is not negative, else it is in {@code stdout.1}.
 *
 * <p>Thread-safe enough for its one caller (the housekeeping thread); blocking file I/O.
 */
public final class LogRotation {
    private static final Logger log = LoggerFactory.getLogger(LogRotation.class);
    static final List<String> LOGS = List.of("stdout", "stderr");
    private static final int CATCH_UP_ROUNDS = 16;

    private final long maxSize;
    private final int maxFiles;
    /** False once {@code fallocate --collapse-range} failed here; copy-truncate from then on. */
    private volatile boolean collapse = true;

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

    /** Shifts the rotated files up by one and moves {@code file}'s content (all but a partial block) to {@code file.1}. */
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
            long size = source.size();
            long block = Files.getFileStore(file).getBlockSize();
            // Whole blocks, short of the end: a collapse may not reach the end of the file.
            long whole = size <= block ? 0 : (size - 1) / block * block;
            if (collapse && whole > 0) {
                copyRange(source, copy, 0, whole);
                if (collapse(file, whole)) {
                    return;
                }
            }
            copyAndTruncate(source, copy, collapse && whole > 0 ? whole : 0);
        }
    }

    private static void copyAndTruncate(FileChannel source, FileChannel copy, long alreadyCopied) throws IOException {
        long copied = alreadyCopied;
        long size = source.size();
        for (int round = 0; round < CATCH_UP_ROUNDS && copied < size; round++) {
            copied += copyRange(source, copy, copied, size);
            size = source.size();
        }
        source.truncate(0);
    }

    /** Cuts the first {@code length} bytes out of {@code file}; false (and never again) when this file system cannot. */
    private boolean collapse(Path file, long length) throws IOException {
        String output;
        try {
            Process fallocate = new ProcessBuilder("fallocate", "--collapse-range", "--offset", "0", "--length",
                    Long.toString(length), file.toString()).redirectErrorStream(true).start();
            output = new String(fallocate.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (fallocate.waitFor() == 0) {
                log.debug("rotated {} (collapsed {} bytes)", file, length);
                return true;
            }
        } catch (IOException e) {
            output = "cannot run util-linux fallocate: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while rotating " + file, e);
        }
        collapse = false;
        log.info("rotating sandbox logs by copy-truncate: this file system cannot collapse ranges ({});"
                + " a busy task may lose a few lines per rotation", output.strip());
        return false;
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
