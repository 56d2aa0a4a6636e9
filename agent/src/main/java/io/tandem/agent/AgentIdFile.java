package io.tandem.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * The agent's id, kept in {@code <workDir>/agent-id} so a restarted agent re-joins under the same
 * id. Written atomically (temporary file, then rename). Blocking I/O: not for the agent loop.
 */
final class AgentIdFile {
    private final Path file;

    AgentIdFile(Path workDir) {
        this.file = workDir.resolve("agent-id");
    }

    Optional<String> read() throws IOException {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        String id = Files.readString(file, StandardCharsets.UTF_8).strip();
        return id.isEmpty() ? Optional.empty() : Optional.of(id);
    }

    void write(String id) throws IOException {
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(temporary, id + "\n", StandardCharsets.UTF_8);
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
