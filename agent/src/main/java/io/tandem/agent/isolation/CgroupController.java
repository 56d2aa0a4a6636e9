package io.tandem.agent.isolation;

import java.util.Arrays;
import java.util.Optional;

/** The cgroup controllers an agent can use, by their {@code --isolation} names. */
public enum CgroupController {
    CPU("cgroups/cpu"),
    MEMORY("cgroups/mem"),
    PIDS("cgroups/pids");

    /** CFS period for hard caps: 100 ms, the kernel's default and Mesos's. */
    static final long CFS_PERIOD_MICROS = 100_000;
    /** The smallest quota the kernel accepts. */
    static final long CFS_MIN_QUOTA_MICROS = 1_000;

    private final String isolatorName;

    CgroupController(String isolatorName) {
        this.isolatorName = isolatorName;
    }

    public String isolatorName() {
        return isolatorName;
    }

    static Optional<CgroupController> named(String isolatorName) {
        return Arrays.stream(values()).filter(c -> c.isolatorName.equals(isolatorName)).findFirst();
    }

    /** {@code quota = cap * period}, at least the kernel's minimum. */
    static long cfsQuotaMicros(double cpuCap) {
        return Math.max(CFS_MIN_QUOTA_MICROS, Math.round(cpuCap * CFS_PERIOD_MICROS));
    }

    static String megabytes(long bytes) {
        return (bytes >> 20) + " MB";
    }
}
