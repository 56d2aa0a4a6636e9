package io.tandem.agent.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The file in which a task's supervisor (see {@link ProcessLauncher}) records how the task ended:
 * its exit code, or 128+N after signal N, and a newline, written to a temporary file first and
 * renamed into place. An agent that was killed and restarted reads it to learn how a task ended
 * while nobody watched it. Nothing is recorded when the supervisor itself was SIGKILLed.
 *
 * <p>Stateless and thread-safe.
 */
public final class ExitStatusFile {
    private ExitStatusFile() {}

    /**
     * The status the supervisor wrote, or empty when there is none (the supervisor was killed, or the
     * task still runs). A file that does not hold a number counts as none.
     */
    public static Optional<ExitStatus> read(Path statusFile) throws IOException {
        try {
            String text = Files.readString(statusFile, StandardCharsets.UTF_8).strip();
            return Optional.of(new ExitStatus(Integer.parseInt(text)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
