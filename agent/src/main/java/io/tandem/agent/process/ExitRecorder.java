package io.tandem.agent.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The per-task supervisor that outlives the agent: a small POSIX shell that runs the task's command
 * as its child, waits for it and writes the child's exit status to a file (temporary file, then
 * rename), then exits with that same status. An agent that was killed and restarted reads the file
 * to learn how a task ended while nobody watched it. No JVM per task: one {@code sh} and, at the
 * end, one {@code mv}.
 *
 * <p>Signals: the shell handles TERM with a no-op trap instead of dying of it, so a SIGTERM to the
 * task's process group (the agent's kill) reaches the command, which ends, and the shell still
 * records how. The command runs in the foreground, not with {@code &}: a background job of a
 * non-interactive shell would have SIGINT and SIGQUIT ignored, and ignored signals survive exec.
 * SIGKILL to the group kills the shell too; then nothing is recorded, and the agent that watched
 * the shell hears "terminated with signal SIGKILL" from the JDK as before.
 *
 * <p>Stateless and thread-safe.
 */
public final class ExitRecorder {
    /** Arguments: the status file, then the command. Exit status: the command's (128+N for signal N). */
    static final String SCRIPT = "f=$1; shift; trap : TERM; \"$@\"; s=$?;"
            + " printf '%s\\n' \"$s\" > \"$f.tmp\" && mv -f \"$f.tmp\" \"$f\"; exit \"$s\"";

    private ExitRecorder() {}

    /** The argv that runs {@code argv} under the recorder, which writes its exit status to {@code statusFile}. */
    public static List<String> wrap(Path statusFile, List<String> argv) {
        List<String> command = new ArrayList<>(argv.size() + 5);
        command.addAll(List.of("/bin/sh", "-c", SCRIPT, "tandem-task", statusFile.toString()));
        command.addAll(argv);
        return command;
    }

    /**
     * The status the recorder wrote, or empty when there is none (the recorder was killed, or the
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
