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
 * A task's supervisor and its process group (group id = its pid), started by
 * {@link ProcessLauncher}. Signals go to the whole group, and also to descendants seen at signal
 * time, which catches children that moved to a group of their own.
 *
 * <p>Thread-safe. Signalling may block (a write to the launcher, or kill(1) for a group this run of
 * the agent did not start), so it happens on virtual threads, never on the caller's thread.
 */
public final class ProcessGroup {
    private static final Logger log = LoggerFactory.getLogger(ProcessGroup.class);
    private static final ExecutorService SIGNALLERS = Executors.newVirtualThreadPerTaskExecutor();

    /** Sends a signal (by number) to the process group led by a pid. */
    @FunctionalInterface
    public interface Signaller {
        void signal(long pid, int signal);
    }

    private final ProcessHandle process;
    private final long pid;
    private final CompletableFuture<ExitStatus> exit;
    private final Signaller signaller;

    /**
     * A group whose leader this JVM did not start (a task re-attached after an agent restart):
     * {@code exit} says when and how it ended; signals go through kill(1).
     */
    public ProcessGroup(ProcessHandle leader, CompletableFuture<ExitStatus> exit) {
        this(leader, leader.pid(), exit, ProcessGroup::killCommand);
    }

    /**
     * @param leader the leader's handle; null when it already exited
     * @param exit completes when the leader exits
     */
    ProcessGroup(ProcessHandle leader, long pid, CompletableFuture<ExitStatus> exit, Signaller signaller) {
        this.process = leader;
        this.pid = pid;
        this.exit = exit;
        this.signaller = signaller;
    }

    public long pid() {
        return pid;
    }

    /** Completes when the group leader exits. */
    public CompletableFuture<ExitStatus> exit() {
        return exit;
    }

    public boolean isAlive() {
        return !exit.isDone() && process != null && process.isAlive();
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
        List<ProcessHandle> descendants = process == null ? List.of() : process.descendants().toList();
        try {
            signaller.signal(pid, signal.equals("KILL") ? 9 : 15);
        } catch (RuntimeException e) {
            log.warn("cannot signal process group {}: {}", pid, e.getMessage());
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

    private static void killCommand(long pid, int signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-s", Integer.toString(signal), "--", "-" + pid)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            kill.waitFor();
        } catch (IOException e) {
            log.warn("cannot run kill(1) for process group {}: {}", pid, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
