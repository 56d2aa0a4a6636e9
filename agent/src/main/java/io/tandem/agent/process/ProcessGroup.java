package io.tandem.agent.process;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A process started by {@link ProcessLauncher} together with its process group (group id = its
 * pid). Signals go to the whole group, and also to descendants seen at signal time, which catches
 * children that moved to a group of their own.
 *
 * <p>Thread-safe. Signalling spawns {@code kill(1)}, so it happens on virtual threads, never on the
 * caller's thread.
 */
public final class ProcessGroup {
    private static final Logger log = LoggerFactory.getLogger(ProcessGroup.class);
    private static final ExecutorService SIGNALLERS = Executors.newVirtualThreadPerTaskExecutor();

    private final ProcessHandle process;
    private final CompletableFuture<ExitStatus> exit;

    public ProcessGroup(Process process) {
        this(process.toHandle(), process.onExit().thenApply(p -> new ExitStatus(p.exitValue())));
    }

    /**
     * A group whose leader this JVM did not start (a task re-attached after an agent restart):
     * {@code exit} says when and how it ended, since the JDK can wait only for its own children.
     */
    public ProcessGroup(ProcessHandle leader, CompletableFuture<ExitStatus> exit) {
        this.process = leader;
        this.exit = exit;
    }

    public long pid() {
        return process.pid();
    }

    /** Completes when the group leader exits. */
    public CompletableFuture<ExitStatus> exit() {
        return exit;
    }

    public boolean isAlive() {
        return !exit.isDone() && process.isAlive();
    }

    /**
     * SIGTERM to the group now, then SIGKILL once {@code grace} has passed if the leader still runs.
     * A zero grace period kills at once.
     */
    public void terminate(Duration grace) {
        if (grace.isZero() || grace.isNegative()) {
            kill();
            return;
        }
        SIGNALLERS.execute(() -> signal("TERM"));
        CompletableFuture.runAsync(() -> {
            if (isAlive()) {
                log.debug("process group {} outlived its {} grace period; sending SIGKILL", pid(), grace);
                signal("KILL");
            }
        }, CompletableFuture.delayedExecutor(grace.toMillis(), TimeUnit.MILLISECONDS, SIGNALLERS));
    }

    /** SIGKILL to the group and every descendant, now. Also clears out stragglers after the leader exited. */
    public void kill() {
        SIGNALLERS.execute(() -> signal("KILL"));
    }

    private void signal(String signal) {
        List<ProcessHandle> descendants = process.descendants().toList();
        try {
            Process kill = new ProcessBuilder("kill", "-s", signal, "--", "-" + pid())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            kill.waitFor();
        } catch (IOException e) {
            log.warn("cannot run kill(1) for process group {}: {}", pid(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // The group signal normally reached these too; this catches children that called setsid.
        for (ProcessHandle child : descendants) {
            if (signal.equals("KILL")) {
                child.destroyForcibly();
            } else {
                child.destroy();
            }
        }
    }
}
