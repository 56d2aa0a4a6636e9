package io.tandem.agent.process;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Starts processes in their own session and process group (through util-linux {@code setsid}), so
 * that signalling the group reaches every process the task forked. A child of the JVM is never a
 * group leader, so {@code setsid} calls setsid(2) and execs in place: the started process's pid is
 * also its process group id.
 *
 * <p>Stateless and thread-safe; it does blocking I/O, so never call it on the agent loop.
 */
public final class ProcessLauncher {
    private static final File DEV_NULL = new File("/dev/null");

    private final String setsid;

    public ProcessLauncher() {
        this.setsid = findOnPath("setsid", System.getenv("PATH"), Path.of("/"))
                .map(Path::toString)
                .orElseThrow(() -> new IllegalStateException(
                        "the agent needs util-linux's 'setsid' on PATH to give each task its own process group"));
    }

    /**
     * Starts {@code spec}. Its sandbox must exist; {@code stdout} and {@code stderr} are created there
     * (or appended to: the fetcher may have written to {@code stderr} first).
     *
     * @throws IOException with a readable reason when the program cannot be started
     */
    public Process launch(LaunchSpec spec) throws IOException {
        return launch(spec, UnaryOperator.identity());
    }

    /**
     * Starts {@code spec} with its argv passed through {@code wrap} first (isolation puts the
     * process into its cgroups and namespaces that way). The program is checked before wrapping.
     *
     * @throws IOException with a readable reason when the program cannot be started
     */
    public Process launch(LaunchSpec spec, UnaryOperator<List<String>> wrap) throws IOException {
        String program = spec.argv().getFirst();
        String path = spec.environment().getOrDefault("PATH", System.getenv("PATH"));
        if (findOnPath(program, path, spec.sandbox()).isEmpty()) {
            throw new IOException("Failed to launch '" + program + "': no such executable"
                    + (program.contains("/") ? "" : " on PATH"));
        }
        List<String> command = new ArrayList<>(spec.argv().size() + 1);
        command.add(setsid);
        command.addAll(wrap.apply(spec.argv()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(spec.sandbox().toFile())
                .redirectInput(ProcessBuilder.Redirect.from(DEV_NULL))
                // O_APPEND: the agent's log rotation truncates these files under the running process,
                // whose next write then lands at the new end instead of leaving a hole of zeros.
                .redirectOutput(ProcessBuilder.Redirect.appendTo(spec.sandbox().resolve("stdout").toFile()))
                .redirectError(ProcessBuilder.Redirect.appendTo(spec.sandbox().resolve("stderr").toFile()));
        Map<String, String> environment = builder.environment();
        environment.putAll(spec.environment());
        return builder.start();
    }

    /**
     * The executable {@code program} resolves to, as execvp(3) would from {@code workingDir}: itself
     * (relative to {@code workingDir}) when it contains a slash, else the first match on {@code path}.
     */
    static Optional<Path> findOnPath(String program, String path, Path workingDir) {
        if (program.isEmpty()) {
            return Optional.empty();
        }
        if (program.contains("/")) {
            Path file = workingDir.resolve(program);
            return Files.isRegularFile(file) && Files.isExecutable(file) ? Optional.of(file) : Optional.empty();
        }
        for (String dir : (path == null ? "/usr/local/bin:/usr/bin:/bin" : path).split(":")) {
            Path file = Path.of(dir.isEmpty() ? "." : dir, program);
            if (Files.isRegularFile(file) && Files.isExecutable(file)) {
                return Optional.of(file);
            }
        }
        return Optional.empty();
    }
}
