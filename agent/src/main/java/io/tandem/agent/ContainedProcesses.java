package io.tandem.agent;

import io.tandem.agent.isolation.Container;
import io.tandem.agent.isolation.Isolation;
import io.tandem.agent.isolation.Limitation;
import io.tandem.agent.isolation.Limits;
import io.tandem.agent.isolation.TaskUser;
import io.tandem.agent.process.Confinement;
import io.tandem.agent.process.ExitStatus;
import io.tandem.agent.process.LaunchSpec;
import io.tandem.agent.process.ProcessGroup;
import io.tandem.agent.process.ProcessLauncher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts command tasks' and executors' processes in their containers and ends each container once
 * its process has exited: everything left in its cgroups is killed, the limit it hit (if any) is
 * read, its cgroups are removed. While it runs, a container that hits a limit (an OOM kill of any
 * of its processes) is killed at once, as Mesos does.
 *
 * <p>Thread-safe. {@link #start} blocks (files, the launcher's answer); call it off the agent loop.
 */
final class ContainedProcesses {
    private static final Logger log = LoggerFactory.getLogger(ContainedProcesses.class);
    /** Container teardown and limit checks block on cgroup files, so they run on virtual threads. */
    private static final Executor FINISHERS = Executors.newVirtualThreadPerTaskExecutor();
    /** Where a task's URIs are downloaded into its sandbox before its launch goes to the pool. */
    private static final Executor FETCHES = Executors.newVirtualThreadPerTaskExecutor();
    /** How often a running container's limits are checked: a few file reads each time. */
    private static final Duration LIMIT_POLL = Duration.ofMillis(250);
    /**
     * Where sandboxes and containers are made and their processes started, a few at once: a burst of
     * launches (a thousand tasks in one ACCEPT) would otherwise have a thousand threads making cgroups
     * and sandboxes at once, ahead of the agent's HTTP, status updates and exits.
     */
    private static final ExecutorService STARTERS = Executors.newFixedThreadPool(
            Math.max(4, 2 * Runtime.getRuntime().availableProcessors()),
            Thread.ofPlatform().name("container-start-", 0).daemon().factory());

    private final ProcessLauncher launcher;
    private final Isolation isolation;

    ContainedProcesses(ProcessLauncher launcher, Isolation isolation) {
        this.launcher = launcher;
        this.isolation = isolation;
    }

    /** A started process and its container (null when the agent does not isolate). */
    record Started(ProcessGroup process, Container container) {}

    /** How a contained process ended: its exit and the limit its container hit, if any. */
    record Ended(ExitStatus exit, Optional<Limitation> limitation) {}

    /** What a launch needs done before its container is made (the sandbox); returns its status file, or null. */
    @FunctionalInterface
    interface Preparation {
        Path prepare() throws IOException;
    }

    /** As {@link #start(String, Limits, LaunchSpec, String, Path)}, the exit status recorded nowhere. */
    Started start(String name, Limits limits, LaunchSpec spec, String user) throws IOException {
        return start(name, limits, spec, user, null);
    }

    /**
     * Prepares the container {@code name} with {@code limits} and starts {@code spec} in it, as
     * {@code user} when the agent switches users (then a user is required; "root" runs as root).
     *
     * @param statusFile where the task's supervisor records its exit status; null: nowhere
     * @throws IOException with a readable reason when the container or the process cannot be made;
     *     a container already made is removed again; also when the user is missing or unknown here
     */
    Started start(String name, Limits limits, LaunchSpec spec, String user, Path statusFile) throws IOException {
        try {
            return launch(name, limits, spec, user, false, () -> statusFile).get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting the container " + name, e);
        }
    }

    /**
     * As {@link #start(String, Limits, LaunchSpec, String, Path)}, without blocking: {@code preparation}
     * (the sandbox, the status file), the container and the request to the launcher are done on the
     * launch pool, a few at once; the future completes once the process has exec'd, or fails with
     * the {@link IOException} (or the {@link RuntimeException}) saying why. A burst of launches thus
     * queues on that pool, not as a thousand virtual threads doing file I/O ahead of the ones that
     * carry the agent's HTTP (its updates to the master).
     *
     * @param downloads whether {@code preparation} fetches URIs: then it runs on a virtual thread of
     *     its own, so that slow downloads never hold the pool
     */
    CompletableFuture<Started> launch(String name, Limits limits, LaunchSpec spec, String user, boolean downloads,
                                      Preparation preparation) {
        CompletableFuture<Path> prepared = CompletableFuture.supplyAsync(() -> unchecked(preparation::prepare),
                downloads ? FETCHES : STARTERS);
        // Without a download the same pool thread goes on; after one, back to the pool.
        CompletableFuture<CompletableFuture<Started>> launched = downloads
                ? prepared.thenApplyAsync(file -> unchecked(() -> startNow(name, limits, spec, user, file)), STARTERS)
                : prepared.thenApply(file -> unchecked(() -> startNow(name, limits, spec, user, file)));
        return launched.thenCompose(started -> started);
    }

    @FunctionalInterface
    private interface IoSupplier<T> {
        T get() throws IOException;
    }

    private static <T> T unchecked(IoSupplier<T> supplier) {
        try {
            return supplier.get();
        } catch (IOException e) {
            throw new CompletionException(e);
        }
    }

    private CompletableFuture<Started> startNow(String name, Limits limits, LaunchSpec spec, String user,
                                                Path statusFile) throws IOException {
        if (!isolation.contains()) {
            // Off the launcher's event thread, which delivers every exit.
            return launcher.start(spec, Confinement.NONE, statusFile)
                    .thenApplyAsync(group -> new Started(group, null), FINISHERS);
        }
        TaskUser taskUser = isolation.switchesUsers() ? userOf(user) : null;
        if (taskUser != null && !taskUser.isRoot()) {
            createStreams(spec.sandbox());
        }
        Container container = isolation.prepare(new Container(name, limits, spec.sandbox(), taskUser));
        CompletableFuture<ProcessGroup> launched;
        try {
            launched = launcher.start(spec, isolation.confinement(container), statusFile);
        } catch (IOException | RuntimeException e) {
            isolation.finish(container);
            throw e;
        }
        return launched.handleAsync((group, failure) -> {
            if (failure != null) {
                isolation.finish(container);
                throw failure instanceof CompletionException completion ? completion : new CompletionException(failure);
            }
            Started started = new Started(group, container);
            FINISHERS.execute(() -> watchLimits(started));
            return started;
        }, FINISHERS);
    }

    /**
     * Completes once {@code started}'s process has exited and its container is finished. Whatever
     * the process left in its group is SIGKILLed first, and what left the group dies with the cgroup.
     */
    CompletableFuture<Ended> ended(Started started) {
        ProcessGroup process = started.process();
        CompletableFuture<Ended> ended = process.exit().thenApplyAsync(exit -> {
            if (started.container() == null || started.container().cgroups().isEmpty()) {
                // Without cgroups, the group signal (a kill(1) and a scan of every process for
                // descendants) is all there is; with them, stop() below kills whatever is left in the
                // cgroups, the group included, for two file reads instead of a fork and a /proc scan.
                process.kill();
            }
            Optional<Limitation> limitation = started.container() == null ? Optional.empty()
                    : isolation.stop(started.container());
            return new Ended(exit, limitation);
        }, FINISHERS);
        if (started.container() != null) {
            // The empty cgroups are removed after the end is reported: rmdir waits on the kernel's
            // cgroup lock, which a burst of launches keeps busy.
            ended.whenCompleteAsync((end, failure) -> isolation.remove(started.container()), FINISHERS);
        }
        return ended;
    }

    /** The container named {@code name} of a task re-attached after an agent restart; null without one. */
    Container recoveredContainer(String name) {
        return isolation.contains() && name != null ? new Container(name, Limits.none()) : null;
    }

    private static TaskUser userOf(String user) throws IOException {
        if (user == null || user.isBlank()) {
            throw new IOException("the task names no user to run as (CommandInfo.user or FrameworkInfo.user),"
                    + " and this agent runs tasks as their users; name 'root' to run it as root");
        }
        return TaskUser.lookup(user);
    }

    /**
     * Creates the sandbox's stdout and stderr beforehand, so that they too belong to the task's user
     * (for root's tasks the launcher, root too, creates them).
     */
    private static void createStreams(Path sandbox) throws IOException {
        for (String name : List.of("stdout", "stderr")) {
            Path file = sandbox.resolve(name);
            if (!Files.exists(file)) {
                Files.createFile(file);
            }
        }
    }

    private void watchLimits(Started started) {
        ProcessGroup process = started.process();
        while (process.isAlive()) {
            if (isolation.limitation(started.container()).isPresent()) {
                log.debug("{} hit a limit; killing it", started.container());
                process.kill();
                return;
            }
            try {
                process.exit().get(LIMIT_POLL.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                // still running: look again
            } catch (ExecutionException e) {
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
