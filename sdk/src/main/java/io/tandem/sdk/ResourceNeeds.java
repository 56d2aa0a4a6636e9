package io.tandem.sdk;

/**
 * What one task asks for: CPUs, memory and disk in Mesos units (cores, MB, MB) and a number of ports.
 * Zero means "none of it". Amounts are rounded to thousandths when matched, as Mesos does.
 */
public record ResourceNeeds(double cpus, double memMb, double diskMb, int ports) {

    public ResourceNeeds {
        requireAmount("cpus", cpus);
        requireAmount("mem", memMb);
        requireAmount("disk", diskMb);
        if (ports < 0) {
            throw new IllegalArgumentException("ports must be zero or more, got " + ports);
        }
    }

    public static ResourceNeeds of(double cpus, double memMb) {
        return new ResourceNeeds(cpus, memMb, 0, 0);
    }

    public ResourceNeeds withDisk(double mb) {
        return new ResourceNeeds(cpus, memMb, mb, ports);
    }

    public ResourceNeeds withPorts(int count) {
        return new ResourceNeeds(cpus, memMb, diskMb, count);
    }

    private static void requireAmount(String name, double amount) {
        if (Double.isNaN(amount) || Double.isInfinite(amount) || amount < 0) {
            throw new IllegalArgumentException(name + " must be a non-negative number, got " + amount);
        }
    }
}
