package io.tandem.agent.recovery;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How the agent's checkpoint files are written and read, crash-safe: whole files are replaced
 * atomically (write a temporary file, fsync it, rename it over the old one, fsync the directory);
 * a log (the task journal) is read line by line, a torn last line without its newline left out
 * ({@link #readLines}).
 *
 * <p>Stateless; blocking I/O.
 */
public final class CheckpointFiles {
    private static final AtomicLong TEMPORARY_NAMES = new AtomicLong();
    private static final String TEMPORARY_SUFFIX = ".tmp";

    private CheckpointFiles() {}

    /** Replaces {@code file} with {@code text}: readers see the old content or the new, never a mix. */
    public static void writeAtomically(Path file, String text) throws IOException {
        writeAtomically(file, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Replaces {@code file} with {@code bytes}, durably: the new content is fsynced before the
     * rename, and the directory after it. A failed write leaves no temporary file behind.
     */
    public static void writeAtomically(Path file, byte[] bytes) throws IOException {
        // A unique temporary name: two writers of the same file must not share one. A counter, not
        // Files.createTempFile: its SecureRandom is one lock that a burst of launches queued on.
        Path temporary = file.resolveSibling(file.getFileName() + "." + ProcessHandle.current().pid() + "."
                + TEMPORARY_NAMES.incrementAndGet() + TEMPORARY_SUFFIX);
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
        syncDirectory(file.getParent());
    }

    /** Makes the names in {@code dir} (a file created, renamed or removed there) durable: fsync of the directory. */
    public static void syncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    /** Removes the temporary files {@link #writeAtomically} left in {@code dir} when a crash stopped it. */
    public static void removeTemporaries(Path dir, String prefix) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (var entries = Files.newDirectoryStream(dir, prefix + ".*" + TEMPORARY_SUFFIX)) {
            for (Path entry : entries) {
                Files.deleteIfExists(entry);
            }
        }
    }

    /** The complete lines of {@code file} (a torn last line left out); empty when there is no file. */
    public static List<String> readLines(Path file) throws IOException {
        String text;
        try {
            // Decoded leniently: a torn last line may end inside a multi-byte character.
            text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return List.of();
        }
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
            lines.add(text.substring(start, end));
            start = end + 1;
        }
        return lines;
    }
}
