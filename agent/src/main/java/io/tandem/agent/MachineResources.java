package io.tandem.agent;

import io.tandem.model.Resource;
import io.tandem.model.Resources;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The resources an agent offers when the operator does not say, detected the way Mesos does:
 * every processor; physical memory less a reserve for the system; free disk of the work
 * directory less a reserve; ports 31000-32000.
 *
 * <pre>
 * mem  = total >= 2 GB ? total - 1 GB : total / 2
 * disk = free  > 10 GB ? free  - 5 GB : free  / 2
 * </pre>
 */
public final class MachineResources {
    static final long MB = 1024 * 1024;
    private static final long GB_IN_MB = 1024;

    private MachineResources() {}

    /** This machine's resources, all detected; {@code workDir} decides which disk is measured. */
    public static Resources detect(Path workDir) {
        return complete(Resources.empty(), workDir);
    }

    /** {@code given}, plus a detected value for each of cpus, mem, disk and ports it does not name. */
    static Resources complete(Resources given, Path workDir) {
        List<Resource> added = new ArrayList<>();
        if (!given.names().contains("cpus")) {
            added.add(Resource.scalar("cpus", Runtime.getRuntime().availableProcessors()));
        }
        if (!given.names().contains("mem")) {
            added.add(Resource.scalar("mem", memoryMb(totalMemoryMb())));
        }
        if (!given.names().contains("disk")) {
            added.add(Resource.scalar("disk", diskMb(freeDiskMb(workDir))));
        }
        if (!given.names().contains("ports")) {
            added.add(Resource.ranges("ports", 31000, 32000));
        }
        return given.plus(Resources.of(added));
    }

    static long memoryMb(long totalMb) {
        return totalMb >= 2 * GB_IN_MB ? totalMb - GB_IN_MB : totalMb / 2;
    }

    static long diskMb(long freeMb) {
        return freeMb > 10 * GB_IN_MB ? freeMb - 5 * GB_IN_MB : freeMb / 2;
    }

    private static long totalMemoryMb() {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        return os.getTotalMemorySize() / MB;
    }

    private static long freeDiskMb(Path workDir) {
        try {
            return Files.getFileStore(workDir).getUsableSpace() / MB;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the free space of " + workDir, e);
        }
    }
}
