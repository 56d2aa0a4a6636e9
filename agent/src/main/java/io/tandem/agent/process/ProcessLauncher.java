package io.tandem.agent.process;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts tasks' processes through {@code tandem-launcher}, a small C program (agent/src/main/c) that
 * the agent runs once and that forks every task: no JVM fork and no helper exec per task, which is
 * what made a launch cost some 16 ms (the JDK's spawn helper, setsid, a supervisor shell, a cgroup
 * joining shell, unshare, a namespace shell, mv). Each task gets a supervisor in a session and
 * process group of its own (its pid is the group's id), which records the exit status in a file
 * when asked and outlives the agent; with a pid namespace, an init inside it as pid 1.
 *
 * <p>The launcher is copied out of the agent's jar into a directory of the agent's, started lazily
 * at the first launch, and started again if it ever dies. Thread-safe; {@link #launch} blocks until
 * the task has exec'd (or failed to), {@link #start} until the request is written: call them off the
 * agent loop.
 */
public final class ProcessLauncher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ProcessLauncher.class);
    private static final String PROGRAM = "tandem-launcher";

    private final Path binary;
    private final ReentrantLock lock = new ReentrantLock();
    private final AtomicLong ids = new AtomicLong();
    private Channel channel;
    private boolean closed;

    /**
     * A launcher whose program is kept in {@code dir} (created if needed).
     *
     * @throws IOException when the program cannot be copied there
     */
    public ProcessLauncher(Path dir) throws IOException {
        Files.createDirectories(dir);
        this.binary = dir.resolve(PROGRAM);
        Path copy = Files.createTempFile(dir, PROGRAM, ".new");
        try (InputStream in = ProcessLauncher.class.getResourceAsStream(PROGRAM)) {
            if (in == null) {
                throw new IOException("the agent's jar holds no " + PROGRAM + " (it is compiled with the agent: "
                        + "the build needs a C compiler, e.g. apt-get install gcc)");
            }
            Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
        }
        if (!copy.toFile().setExecutable(true, true)) {
            throw new IOException("cannot make " + copy + " executable");
        }
        Files.move(copy, binary, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Starts {@code spec} as a plain process of the agent's user, its exit status not recorded. */
    public ProcessGroup launch(LaunchSpec spec) throws IOException {
        return launch(spec, Confinement.NONE, null);
    }

    /**
     * Starts {@code spec} confined as {@code confinement} says. Its sandbox must exist; {@code stdout}
     * and {@code stderr} are created there or appended to (the fetcher may have written to stderr).
     *
     * @param statusFile where the task's supervisor writes its exit status; null: nowhere
     * @throws IOException with a readable reason when the program cannot be started (not found, not
     *     executable, a cgroup or namespace that cannot be entered, a user that cannot be taken)
     */
    public ProcessGroup launch(LaunchSpec spec, Confinement confinement, Path statusFile) throws IOException {
        try {
            return start(spec, confinement, statusFile).get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting '" + spec.argv().getFirst() + "'", e);
        }
    }

    /**
     * As {@link #launch(LaunchSpec, Confinement, Path)}, without waiting: the future completes once
     * the task has exec'd, or fails with an {@link IOException} saying why it could not. A program
     * that is not there is refused at once.
     */
    public CompletableFuture<ProcessGroup> start(LaunchSpec spec, Confinement confinement, Path statusFile)
            throws IOException {
        String program = spec.argv().getFirst();
        Map<String, String> environment = new java.util.HashMap<>(System.getenv());
        environment.putAll(spec.environment());
        Path file = findOnPath(program, environment.get("PATH"), spec.sandbox())
                .orElseThrow(() -> new IOException("Failed to launch '" + program + "': no such executable"
                        + (program.contains("/") ? "" : " on PATH")));
        String id = Long.toString(ids.incrementAndGet());
        Channel.Launch launch = channel().send(new Request(id, spec, file, environment, confinement, statusFile));
        return launch.started().thenApply(pid ->
                new ProcessGroup(ProcessHandle.of(pid).orElse(null), pid, launch.exit(), launch.signaller()));
    }

    private Channel channel() throws IOException {
        lock.lock();
        try {
            if (closed) {
                throw new IOException("the agent is stopping; no new process is started");
            }
            if (channel == null || !channel.alive()) {
                channel = Channel.start(binary);
            }
            return channel;
        } finally {
            lock.unlock();
        }
    }

    /** Ends the launcher; the processes it started go on (the agent kills those it must first). */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            if (channel != null) {
                channel.close();
            }
        } finally {
            lock.unlock();
        }
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
            Path file = Path.of(dir.isEmpty() ? "." : dir, program).toAbsolutePath();
            if (Files.isRegularFile(file) && Files.isExecutable(file)) {
                return Optional.of(file);
            }
        }
        return Optional.empty();
    }

    /** One launch request in the launcher's wire form: NUL-terminated key=value fields, then an empty one. */
    record Request(String id, LaunchSpec spec, Path file, Map<String, String> environment, Confinement confinement,
                   Path statusFile) {
        byte[] encode() {
            ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
            field(out, "id", id);
            field(out, "file", file.toString());
            spec.argv().forEach(arg -> field(out, "arg", arg));
            environment.forEach((key, value) -> field(out, "env", key + "=" + value));
            field(out, "dir", spec.sandbox().toString());
            field(out, "out", spec.sandbox().resolve("stdout").toString());
            field(out, "err", spec.sandbox().resolve("stderr").toString());
            if (statusFile != null) {
                field(out, "status", statusFile.toString());
            }
            confinement.cgroupProcs().forEach(procs -> field(out, "cgroup", procs.toString()));
            if (confinement.pidNamespace()) {
                field(out, "pidns", "1");
            }
            if (confinement.mountNamespace()) {
                field(out, "mountns", "1");
            }
            if (confinement.tmp() != null) {
                field(out, "tmp", confinement.tmp().toString());
            }
            if (confinement.network()) {
                field(out, "netns", "1");
            }
            if (confinement.user() != null) {
                field(out, "user", confinement.user().name());
                field(out, "uid", Long.toString(confinement.user().uid()));
                field(out, "gid", Long.toString(confinement.user().gid()));
            }
            out.write(0);
            return out.toByteArray();
        }

        private static void field(ByteArrayOutputStream out, String key, String value) {
            if (value.indexOf('\0') >= 0) {
                throw new IllegalArgumentException(key + " holds a NUL character, which no process can be given");
            }
            out.writeBytes((key + "=" + value).getBytes(StandardCharsets.UTF_8));
            out.write(0);
        }
    }

    /** One running launcher process: requests to its stdin, events from its stdout on a reader thread. */
    static final class Channel {
        private final Process process;
        private final OutputStream requests;
        private final ReentrantLock writing = new ReentrantLock();
        private final Map<String, Launch> launches = new ConcurrentHashMap<>();
        private volatile boolean alive = true;

        record Launch(String id, CompletableFuture<Long> started, CompletableFuture<ExitStatus> exit,
                      ProcessGroup.Signaller signaller) {}

        private Channel(Process process) {
            this.process = process;
            this.requests = process.getOutputStream();
        }

        static Channel start(Path binary) throws IOException {
            Process process = new ProcessBuilder(binary.toString())
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            Channel channel = new Channel(process);
            Thread.ofPlatform().name("launcher-events").daemon().start(channel::readEvents);
            log.debug("process launcher {} started", process.pid());
            return channel;
        }

        boolean alive() {
            return alive;
        }

        Launch send(Request request) throws IOException {
            Launch launch = new Launch(request.id(), new CompletableFuture<>(), new CompletableFuture<>(),
                    (pid, signal) -> signal(pid, signal));
            byte[] bytes = request.encode();
            launches.put(request.id(), launch);
            writing.lock();
            try {
                requests.write(bytes);
                requests.flush();
            } catch (IOException e) {
                launches.remove(request.id());
                alive = false;
                throw new IOException("the agent's process launcher is gone: " + e.getMessage(), e);
            } finally {
                writing.unlock();
            }
            return launch;
        }

        /** Signals the process group of {@code pid}, a supervisor this launcher started. */
        private void signal(long pid, int signal) {
            byte[] bytes = ("op=signal\0pid=" + pid + "\0sig=" + signal + "\0\0").getBytes(StandardCharsets.UTF_8);
            writing.lock();
            try {
                requests.write(bytes);
                requests.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                writing.unlock();
            }
        }

        private void readEvents() {
            try (BufferedReader events = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = events.readLine()) != null) {
                    handle(line);
                }
            } catch (IOException e) {
                log.debug("reading the process launcher's events failed", e);
            }
            alive = false;
            orphaned();
        }

        private void handle(String line) {
            String[] parts = line.split(" ", 3);
            Launch launch = parts.length == 3 ? launches.get(parts[1]) : null;
            if (launch == null) {
                // The supervisor of a launch that failed after its fork exits too; nobody waits for it.
                log.debug("the process launcher said: {}", line);
                return;
            }
            switch (parts[0]) {
                case "started" -> launch.started().complete(Long.parseLong(parts[2]));
                case "failed" -> {
                    launches.remove(parts[1]);
                    launch.started().completeExceptionally(new IOException(parts[2]));
                }
                case "exited" -> {
                    launches.remove(parts[1]);
                    launch.exit().complete(new ExitStatus(Integer.parseInt(parts[2])));
                }
                default -> log.warn("the process launcher said something unexpected: {}", line);
            }
        }

        /**
         * The launcher died (it should not): launches in flight fail, and the exits of processes it
         * started are taken from the processes themselves, as for a task re-attached after a restart.
         */
        private void orphaned() {
            if (!launches.isEmpty()) {
                log.error("the agent's process launcher {} exited with {} process(es) it started still known",
                        process.pid(), launches.size());
            }
            for (Launch launch : launches.values()) {
                launch.started().completeExceptionally(new IOException("the agent's process launcher exited"));
                launch.started().thenAccept(pid -> ProcessHandle.of(pid).ifPresentOrElse(
                        handle -> handle.onExit().thenRun(() -> launch.exit().complete(new ExitStatus(137))),
                        () -> launch.exit().complete(new ExitStatus(137))));
            }
        }

        void close() {
            try {
                requests.close();
            } catch (IOException e) {
                log.debug("closing the process launcher's input failed", e);
            }
        }
    }
}
