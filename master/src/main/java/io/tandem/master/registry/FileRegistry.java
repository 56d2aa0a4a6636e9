package io.tandem.master.registry;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The registry of a standalone master: {@code registry.json} in its work dir, replaced atomically
 * (write a temporary file, fsync it, rename it over the old one, fsync the directory), so a crash
 * leaves either the old registry or the new one, never half of one. One master owns its work dir,
 * so there is nobody to conflict with.
 */
public final class FileRegistry implements Registry {
    static final String FILE = "registry.json";

    private final Path file;
    private final Path dir;

    public FileRegistry(Path workDir) {
        this.dir = workDir;
        this.file = workDir.resolve(FILE);
    }

    @Override
    public RegistryState load() throws RegistryException {
        try {
            return RegistryState.fromJson(Files.readAllBytes(file), file.toString());
        } catch (NoSuchFileException e) {
            return RegistryState.empty();
        } catch (IOException e) {
            throw new RegistryException("cannot read the registry " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void store(RegistryState state) throws RegistryException {
        Path temp = dir.resolve(FILE + ".tmp");
        try {
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer bytes = ByteBuffer.wrap(state.toJson());
                while (bytes.hasRemaining()) {
                    out.write(bytes);
                }
                out.force(true);
            }
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new RegistryException("the file system of " + dir + " cannot rename atomically", e);
            }
            try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
                directory.force(true);   // the rename itself must reach the disk
            }
        } catch (IOException e) {
            throw new RegistryException("cannot write the registry " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String describe() {
        return file.toString();
    }
}
