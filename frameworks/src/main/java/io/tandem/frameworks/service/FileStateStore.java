package io.tandem.frameworks.service;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * Keeps the document in {@code <dir>/services.json}. A write goes to a temporary file in the same
 * directory, is fsync'd, then renamed over the old one (atomic on POSIX file systems), and the directory
 * is fsync'd so the rename itself survives a crash: a reader sees the old document or the new one, never
 * a torn one.
 */
public final class FileStateStore implements StateStore {
    static final String FILE = "services.json";
    private final Path dir;
    private final Path file;

    public FileStateStore(Path dir) {
        this.dir = dir;
        this.file = dir.resolve(FILE);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create state directory " + dir + ": " + e.getMessage(), e);
        }
        if (!Files.isWritable(dir)) {
            throw new IllegalStateException("state directory " + dir + " is not writable");
        }
    }

    @Override
    public Optional<byte[]> read() {
        try {
            return Optional.of(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    @Override
    public void write(byte[] document) {
        Path temp = dir.resolve(FILE + ".tmp");
        try {
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buffer = ByteBuffer.wrap(document);
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
                out.force(true);
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
                directory.force(true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    @Override
    public String describe() {
        return file.toString();
    }
}
