package io.tandem.agent.isolation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;
import java.util.OptionalLong;

/** Reads numbers from cgroup control files ({@code memory.oom_control}, {@code memory.events}, ...). */
final class CgroupStats {
    private CgroupStats() {}

    /** A file holding one number, e.g. {@code memory.max_usage_in_bytes}; empty if unreadable. */
    static OptionalLong number(Path file) {
        try {
            String text = Files.readString(file).strip();
            return text.equals("max") ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(text));
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** The value of {@code key} in a flat-keyed file ("oom_kill 3" lines); empty if absent. */
    static OptionalLong field(Path file, String key) {
        try {
            for (String line : Files.readAllLines(file)) {
                String[] parts = line.strip().split("\\s+");
                if (parts.length == 2 && parts[0].equals(key)) {
                    return OptionalLong.of(Long.parseLong(parts[1]));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
        return OptionalLong.empty();
    }

    /** The number of processes in the cgroup ({@code cgroup.procs}); empty if unreadable. */
    static OptionalInt processes(Path dir) {
        try {
            return OptionalInt.of((int) Files.readAllLines(dir.resolve("cgroup.procs")).stream()
                    .filter(l -> !l.isBlank()).count());
        } catch (IOException e) {
            return OptionalInt.empty();
        }
    }
}
