package io.tandem.agent.process;

import io.tandem.agent.fetcher.Fetcher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.mesos.v1.Protos.CommandInfo;

/**
 * Where tasks and executors run: {@code <workDir>/sandboxes/<framework>/<task>/} for a command task
 * and {@code <workDir>/sandboxes/<framework>/executors/<executor>/} for an executor. Sandboxes stay
 * on disk after the task ends so people can read {@code stdout} and {@code stderr}, until the
 * {@link Lifecycle} (the agent's sandbox collector) removes them.
 *
 * <p>Thread-safe; {@link #prepare} and {@link #createFresh} do blocking I/O.
 */
public final class Sandboxes {
    /** Directory of executor sandboxes inside a framework's directory, hence not usable as a task id. */
    public static final String EXECUTORS_DIR = "executors";

    /** The short path the agent's file API knows the sandboxes root by (it accepts the real path too). */
    public static final String VIRTUAL_ROOT = "/sandboxes";

    /** The longest id (in UTF-8 bytes) that names a sandbox and, with its suffixes, an exit file. */
    public static final int MAX_ID_BYTES = 240;

    /** Hears which sandboxes are in use, so that only those of ended tasks and executors are removed. */
    public interface Lifecycle {
        /** Sandboxes are kept for ever. */
        Lifecycle KEEP = new Lifecycle() {
            @Override public void inUse(Path sandbox) { }
            @Override public void released(Path sandbox) { }
        };

        /** {@code sandbox} is about to be (re)created for a task or executor. Any thread. */
        void inUse(Path sandbox);

        /** The task or executor of {@code sandbox} has ended. Any thread. */
        void released(Path sandbox);
    }

    private final Path root;
    private final Fetcher fetcher;
    private final Lifecycle lifecycle;

    /** Sandboxes under {@code workDir}, fetched into with a default {@link Fetcher}, kept for ever. */
    public Sandboxes(Path workDir) {
        this(workDir, new Fetcher(), Lifecycle.KEEP);
    }

    public Sandboxes(Path workDir, Fetcher fetcher, Lifecycle lifecycle) {
        this.root = workDir.resolve("sandboxes");
        this.fetcher = fetcher;
        this.lifecycle = lifecycle;
    }

    public Path root() {
        return root;
    }

    public Path forTask(String frameworkId, String taskId) {
        return root.resolve(frameworkId).resolve(taskId);
    }

    public Path forExecutor(String frameworkId, String executorId) {
        return root.resolve(frameworkId).resolve(EXECUTORS_DIR).resolve(executorId);
    }

    /**
     * Every sandbox on disk: {@code <framework>/<task>} and {@code <framework>/executors/<executor>}.
     * Blocking; a directory removed meanwhile is left out.
     */
    public List<Path> all() {
        List<Path> found = new java.util.ArrayList<>();
        for (Path framework : children(root)) {
            for (Path dir : children(framework)) {
                if (dir.getFileName().toString().equals(EXECUTORS_DIR)) {
                    found.addAll(children(dir));
                } else {
                    found.add(dir);
                }
            }
        }
        return found;
    }

    private static List<Path> children(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(Files::isDirectory).sorted().toList();
        } catch (IOException | java.io.UncheckedIOException e) {
            return List.of();
        }
    }

    /** The file API's short path of a command task's sandbox: {@code /sandboxes/<framework>/<task>}. */
    public static String virtualPathOfTask(String frameworkId, String taskId) {
        return VIRTUAL_ROOT + "/" + frameworkId + "/" + taskId;
    }

    /** The file API's short path of an executor's sandbox. */
    public static String virtualPathOfExecutor(String frameworkId, String executorId) {
        return VIRTUAL_ROOT + "/" + frameworkId + "/" + EXECUTORS_DIR + "/" + executorId;
    }

    /**
     * Makes {@code dir} afresh for a task or executor and fetches {@code uris} into it.
     *
     * @throws io.tandem.agent.fetcher.FetchException when a URI cannot be fetched
     * @throws IOException when the directory cannot be made
     */
    public void prepare(Path dir, List<CommandInfo.URI> uris) throws IOException {
        lifecycle.inUse(dir);
        createFresh(dir);
        fetcher.fetch(uris, dir);
    }

    /**
     * A task or executor that outlived an agent restart runs in {@code dir} again: its sandbox is
     * kept (not re-created) until {@link #released}. Recovery must say so, or the sandbox, booked
     * at start as an earlier run's, is removed once its logs are older than the GC delay.
     */
    public void reattached(Path dir) {
        lifecycle.inUse(dir);
    }

    /** The task or executor that ran in {@code dir} has ended; its sandbox may be removed later. */
    public void released(Path dir) {
        if (dir != null) {
            lifecycle.released(dir);
        }
    }

    /**
     * Why {@code id} cannot name a directory, or empty when it can. Mesos forbids the same: ids
     * that are empty, {@code .} or {@code ..}, or contain a slash or control characters. Tandem also
     * refuses ids longer than {@link #MAX_ID_BYTES}: with the suffix of the task's exit file
     * ({@code .exit.tmp}) the name must still fit the file system's 255 bytes.
     */
    public static Optional<String> unusableId(String kind, String id) {
        int bytes = id.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        if (bytes > MAX_ID_BYTES) {
            return Optional.of(kind + " id is " + bytes + " bytes long; at most " + MAX_ID_BYTES
                    + " can name its sandbox and checkpoint files");
        }
        if (id.isEmpty() || id.equals(".") || id.equals("..")) {
            return Optional.of(kind + " id '" + id + "' cannot name a sandbox directory");
        }
        if (id.indexOf('/') >= 0 || id.chars().anyMatch(Character::isISOControl)) {
            return Optional.of(kind + " id '" + id + "' contains a slash or control character");
        }
        return Optional.empty();
    }

    /** Creates {@code dir}, first deleting whatever an earlier run with the same id left there. */
    public static void createFresh(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
        Files.createDirectories(dir);
    }
}
