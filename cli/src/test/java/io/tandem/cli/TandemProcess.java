package io.tandem.cli;

import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code bin/tandem} process started by a test, exactly as a user starts it. Its stdout and
 * stderr are collected line by line; {@link #close()} stops it (SIGTERM, then SIGKILL) by its PID,
 * together with every process it started.
 */
final class TandemProcess implements AutoCloseable {
    private static final Path HOME = Path.of(System.getProperty("tandem.home", "..")).toAbsolutePath().normalize();

    private final Process process;
    private final List<String> stdout = new CopyOnWriteArrayList<>();
    private final List<String> stderr = new CopyOnWriteArrayList<>();
    private final List<Thread> readers;

    private TandemProcess(Process process) {
        this.process = process;
        this.readers = List.of(
                collect(process.inputReader(StandardCharsets.UTF_8), stdout),
                collect(new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8)), stderr));
    }

    static TandemProcess start(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(HOME.resolve("bin/tandem").toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().entrySet().removeIf(e -> e.getKey().startsWith("TANDEM_"));
        return new TandemProcess(builder.start());
    }

    private static Thread collect(BufferedReader reader, List<String> lines) {
        return Thread.ofVirtual().start(() -> {
            try (reader) {
                String line;
                while ((line = reader.readLine()) != null) {
                    lines.add(line);
                }
            } catch (IOException e) {
                lines.add("<stream closed: " + e.getMessage() + ">");
            }
        });
    }

    /** Waits for a line of stdout matching {@code regex} and returns its first group. */
    String awaitStdout(String regex, Duration timeout) {
        Pattern pattern = Pattern.compile(regex);
        String[] found = new String[1];
        await().atMost(timeout).pollInterval(Duration.ofMillis(50))
                .failFast("process exited: " + describe(), () -> !process.isAlive() && find(pattern) == null)
                .until(() -> (found[0] = find(pattern)) != null);
        return found[0];
    }

    private String find(Pattern pattern) {
        for (String line : stdout) {
            Matcher m = pattern.matcher(line);
            if (m.find()) {
                return m.groupCount() > 0 ? m.group(1) : line;
            }
        }
        return null;
    }

    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("still running after " + timeout + ": " + describe());
        }
        for (Thread reader : readers) {
            reader.join(Duration.ofSeconds(10)); // what the process wrote last
        }
        return process.exitValue();
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Sends SIGTERM, as a service manager would. Through the handle: {@code Process.destroy()}
     * would also close our ends of its pipes and lose what it prints while stopping.
     */
    void terminate() {
        process.toHandle().destroy();
    }

    String stdout() {
        return String.join("\n", stdout);
    }

    String stderr() {
        return String.join("\n", stderr);
    }

    String describe() {
        return "pid " + process.pid() + (process.isAlive() ? " running" : " exited " + process.exitValue())
                + "\n--- stdout ---\n" + stdout() + "\n--- stderr ---\n" + stderr();
    }

    @Override
    public void close() throws InterruptedException {
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        tree.forEach(ProcessHandle::destroyForcibly);
    }
}
