package io.tandem.agent.isolation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Kills a v1 cgroup's processes while it is frozen: a frozen process cannot fork, so one pass
 * over {@code cgroup.procs} finds them all; the SIGKILLs take effect when the cgroup thaws.
 */
final class CgroupFreezer {
    private static final long FREEZE_PATIENCE_NANOS = 2_000_000_000L;

    private CgroupFreezer() {}

    static void killFrozen(Path freezer) throws IOException {
        if (!Files.exists(freezer.resolve("freezer.state")) || CgroupProcesses.list(freezer).isEmpty()) {
            return; // an empty cgroup has nobody to fork: no need to freeze it (the common case, and cheaper)
        }
        CgroupProcesses.write(freezer.resolve("freezer.state"), "FROZEN");
        try {
            long deadline = System.nanoTime() + FREEZE_PATIENCE_NANOS;
            // FREEZING while a process is in an uninterruptible sleep; kill what we can regardless.
            while (!Files.readString(freezer.resolve("freezer.state")).strip().equals("FROZEN")
                    && System.nanoTime() < deadline) {
                CgroupProcesses.pause();
            }
            for (long pid : CgroupProcesses.list(freezer)) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
        } finally {
            CgroupProcesses.write(freezer.resolve("freezer.state"), "THAWED");
        }
    }
}
