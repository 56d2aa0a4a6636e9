package io.tandem.agent.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where tasks and executors run: {@code <workDir>/sandboxes/<framework>/<task>/} for a command task
 * and {@code <workDir>/sandboxes/<framework>/executors/<executor>/} for an executor. Sandboxes stay
 * on disk after the task ends so people can read {@code stdout} and {@code stderr}.
 *
 * <p>Thread-safe; {@link #createFresh} does blocking I/O.
 */
public final class Sandboxes {
    /** Directory of executor sandboxes inside a framework's directory, hence not usable as a task id. */
    public static final String EXECUTORS_DIR = "executors";

    private final Path root;

    public Sandboxes(Path workDir) {
        this.root = workDir.resolve("sandboxes");
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
     * Why {@code id} cannot name a directory, or empty when it can. Mesos forbids the same: ids
     * that are empty, {@code .} or {@code ..}, or contain a slash or control characters.
     */
    public static Optional<String> unusableId(String kind, String id) {
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
