package io.tandem.agent.health;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Runs a health check command: exit status 0 is healthy, anything else is not. The command runs in
 * the task's sandbox with the task's environment; its output is discarded. When the attempt is
 * abandoned (timeout, task gone) the command and everything it forked are killed.
 */
public final class CommandProbe implements Probe {
    private final List<String> argv;
    private final Map<String, String> environment;
    private final Path workingDir;

    /** {@code argv} is what to exec (already wrapped, e.g. to switch to the task's user). */
    public CommandProbe(List<String> argv, Map<String, String> environment, Path workingDir) {
        this.argv = List.copyOf(argv);
        this.environment = Map.copyOf(environment);
        this.workingDir = workingDir;
    }

    @Override
    public CompletableFuture<Outcome> run() {
        CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        // fork/exec blocks, so it stays off the caller's (loop) thread.
        Thread.ofVirtual().name("health-check").start(() -> {
            Process process;
            try {
                ProcessBuilder builder = new ProcessBuilder(argv).directory(workingDir.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .redirectError(ProcessBuilder.Redirect.DISCARD);
                builder.environment().putAll(environment);
                process = builder.start();
            } catch (IOException e) {
                outcome.complete(Outcome.unhealthy("health check command could not start: " + e.getMessage()));
                return;
            }
            outcome.whenComplete((done, error) -> kill(process.toHandle()));
            process.onExit().thenAccept(exited -> outcome.complete(exited.exitValue() == 0
                    ? Outcome.healthy("health check command exited with status 0")
                    : Outcome.unhealthy("health check command exited with status " + exited.exitValue())));
        });
        return outcome;
    }

    private static void kill(ProcessHandle process) {
        if (process.isAlive()) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }
}
