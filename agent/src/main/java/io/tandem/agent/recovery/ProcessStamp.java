package io.tandem.agent.recovery;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Who a process is, beyond its pid, which the kernel reuses: its start time (field 22 of
 * {@code /proc/<pid>/stat}, clock ticks since boot) and the boot it started in
 * ({@code /proc/sys/kernel/random/boot_id}). A pid with the same start time in the same boot is
 * the same process.
 *
 * <p>Immutable; {@link #of} and {@link #stillRuns} read {@code /proc} (blocking, but cheap).
 */
public record ProcessStamp(long pid, long startTime, String bootId) {
    private static final Path PROC = Path.of("/proc");

    /** The stamp of the running process {@code pid}, or empty when there is none (or it is a zombie). */
    public static Optional<ProcessStamp> of(long pid) {
        return of(PROC, pid);
    }

    static Optional<ProcessStamp> of(Path proc, long pid) {
        Optional<String[]> fields = statFields(proc, pid);
        if (fields.isEmpty() || fields.get()[0].equals("Z") || fields.get()[0].equals("X")) {
            return Optional.empty();
        }
        return Optional.of(new ProcessStamp(pid, Long.parseLong(fields.get()[19]), bootId(proc)));
    }

    /** True when this very process still runs: same pid, same start time, same boot, not a zombie. */
    public boolean stillRuns() {
        return stillRuns(PROC);
    }

    boolean stillRuns(Path proc) {
        return of(proc, pid).map(this::equals).orElse(false);
    }

    /** {@code "pid startTime bootId"}: the form kept in the checkpoint. */
    public String format() {
        return pid + " " + startTime + " " + bootId;
    }

    /**
     * Parses {@link #format()}.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static ProcessStamp parse(String text) {
        String[] parts = text.strip().split(" ");
        if (parts.length != 3) {
            throw new IllegalArgumentException("process stamp '" + text.strip() + "' is not 'pid startTime bootId'");
        }
        try {
            return new ProcessStamp(Long.parseLong(parts[0]), Long.parseLong(parts[1]), parts[2]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("process stamp '" + text.strip() + "' has a bad number: " + e.getMessage());
        }
    }

    /**
     * Fields 3.. of {@code /proc/<pid>/stat} (state first). The command name (field 2) is in
     * parentheses and may itself hold spaces and parentheses, so fields are counted after the last ')'.
     */
    private static Optional<String[]> statFields(Path proc, long pid) {
        try {
            String stat = Files.readString(proc.resolve(Long.toString(pid)).resolve("stat"), StandardCharsets.UTF_8);
            int end = stat.lastIndexOf(')');
            String[] fields = stat.substring(end + 2).strip().split(" ");
            return fields.length > 19 ? Optional.of(fields) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static String bootId(Path proc) {
        try {
            return Files.readString(proc.resolve("sys/kernel/random/boot_id"), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
