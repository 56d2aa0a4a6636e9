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
 * The two ways the agent writes its checkpoint, both crash-safe: whole files are replaced
 * atomically (write a temporary file, fsync it, rename it over the old one), logs are appended to
 * and fsynced line by line. A crash in the middle of an append leaves a torn last line without its
 * newline; {@link #readLines} leaves it out.
 *
 * <p>Stateless; blocking I/O.
 */
public final class CheckpointFiles {
    private static final AtomicLong TEMPORARY_NAMES = new AtomicLong();

    private CheckpointFiles() {}

    /** Replaces {@code file} with {@code text}: readers see the old content or the new, never a mix. */
    public static void writeAtomically(Path file, String text) throws IOException {
        // A unique temporary name: two writers of the same file must not share one. A counter, not
        // Files.createTempFile: its SecureRandom is one lock that a burst of launches queued on.
        Path temporary = file.resolveSibling(file.getFileName() + "." + ProcessHandle.current().pid() + "."
                + TEMPORARY_NAMES.incrementAndGet() + ".tmp");
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            writeFully(channel, text);
            channel.force(true);
        }
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Appends {@code lines} (each without its newline) to {@code file} and fsyncs it. */
    public static void append(Path file, List<String> lines) throws IOException {
        StringBuilder text = new StringBuilder();
        for (String line : lines) {
            if (line.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("a log line must not contain a newline: " + line);
            }
            text.append(line).append('\n');
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            writeFully(channel, text.toString());
            channel.force(false);
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

    private static void writeFully(FileChannel channel, String text) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }
}
