package io.tandem.agent.isolation;

/**
 * What one container may use. Zero means "no limit" for every field.
 *
 * @param cpus the task's cpus: its share of contended CPU time ({@code shares = 1024 * cpus})
 * @param cpuCap a hard cap in cpus enforced by CFS quota ({@code quota = cap * period}); 0 for none
 * @param memoryBytes the hard memory limit; the kernel's OOM killer acts beyond it
 * @param pids the most processes and threads the container may have at once
 * @param diskBytes the most its sandbox may hold ({@code disk/du}); 0 for no limit
 */
public record Limits(double cpus, double cpuCap, long memoryBytes, long pids, long diskBytes) {
    /** Mesos's floor for a container's memory limit: smaller limits kill even a shell. */
    public static final long MIN_MEMORY_BYTES = 32L << 20;

    public Limits {
        if (!(cpus >= 0) || !(cpuCap >= 0) || memoryBytes < 0 || pids < 0 || diskBytes < 0
                || Double.isInfinite(cpus) || Double.isInfinite(cpuCap)) {
            throw new IllegalArgumentException("impossible limits: cpus " + cpus + ", cpu cap " + cpuCap
                    + ", memory " + memoryBytes + " bytes, pids " + pids + ", disk " + diskBytes + " bytes");
        }
        if (memoryBytes > 0) {
            memoryBytes = Math.max(memoryBytes, MIN_MEMORY_BYTES);
        }
    }

    /** Without a disk limit. */
    public Limits(double cpus, double cpuCap, long memoryBytes, long pids) {
        this(cpus, cpuCap, memoryBytes, pids, 0);
    }

    public static Limits none() {
        return new Limits(0, 0, 0, 0, 0);
    }
}
