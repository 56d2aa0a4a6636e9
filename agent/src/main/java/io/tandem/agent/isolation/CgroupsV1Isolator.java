package io.tandem.agent.isolation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.mesos.v1.Protos.ResourceStatistics;
import org.apache.mesos.v1.Protos.TaskStatus.Reason;

/**
 * Cgroups v1 (legacy and hybrid hosts): one directory per container in each hierarchy it uses,
 * {@code <hierarchy>/<agent's own cgroup>/tandem/<container>}. cpu: {@code cpu.shares = 1024 * cpus}
 * and, with a cap, {@code cpu.cfs_quota_us = cap * cpu.cfs_period_us}; cpuacct for accounting;
 * memory: {@code memory.limit_in_bytes} (and memsw where swap accounting exists); pids:
 * {@code pids.max}. The freezer, when mounted, stops a container while it is killed so that
 * nothing forks away. Stateless; thread-safe.
 */
public final class CgroupsV1Isolator implements Isolator {
    /** The kernel's unit of {@code cpuacct.stat}: USER_HZ, 100 on every Linux architecture. */
    private static final double USER_HZ = 100.0;
    private final Map<String, Path> hierarchies;
    private final Set<CgroupController> controllers;

    /**
     * @param bases each mounted v1 controller ({@code cpu}, {@code cpuacct}, {@code memory},
     *     {@code pids}, {@code freezer}) to the directory under which {@code tandem/} is made
     * @param controllers the controllers to limit with
     */
    public CgroupsV1Isolator(Map<String, Path> bases, Set<CgroupController> controllers) {
        this.controllers = Set.copyOf(controllers);
        this.hierarchies = new LinkedHashMap<>();
        for (String hierarchy : hierarchiesFor(controllers)) {
            Path base = bases.get(hierarchy);
            if (base == null && hierarchy.equals("cpuacct")) {
                continue; // accounting only; the limits do not need it
            }
            if (base == null) {
                throw new IllegalArgumentException("cgroups v1 controller '" + hierarchy + "' is not mounted");
            }
            hierarchies.put(hierarchy, base.resolve("tandem"));
        }
        if (bases.containsKey("freezer")) {
            hierarchies.put("freezer", bases.get("freezer").resolve("tandem"));
        }
    }

    private static List<String> hierarchiesFor(Set<CgroupController> controllers) {
        List<String> names = new ArrayList<>();
        if (controllers.contains(CgroupController.CPU)) {
            names.add("cpu");
            names.add("cpuacct");
        }
        if (controllers.contains(CgroupController.MEMORY)) {
            names.add("memory");
        }
        if (controllers.contains(CgroupController.PIDS)) {
            names.add("pids");
        }
        return names;
    }

    @Override
    public List<String> names() {
        return controllers.stream().map(CgroupController::isolatorName).sorted().toList();
    }

    @Override
    public void prepare(Container container) throws IOException {
        Limits limits = container.limits();
        for (Map.Entry<String, Path> hierarchy : hierarchies.entrySet()) {
            Path dir = hierarchy.getValue().resolve(container.name());
            if (container.cgroups().contains(dir)) {
                continue; // cpu and cpuacct may be one mount (cpu,cpuacct)
            }
            Files.createDirectories(dir);
            container.join(dir);
            switch (hierarchy.getKey()) {
                case "cpu" -> limitCpu(dir, limits);
                case "memory" -> limitMemory(dir, limits);
                case "pids" -> {
                    if (limits.pids() > 0) {
                        CgroupProcesses.write(dir.resolve("pids.max"), Long.toString(limits.pids()));
                    }
                }
                default -> { }
            }
        }
    }

    private static void limitCpu(Path dir, Limits limits) throws IOException {
        if (limits.cpus() > 0) {
            long shares = Math.max(2, Math.round(1024 * limits.cpus()));
            CgroupProcesses.write(dir.resolve("cpu.shares"), Long.toString(shares));
        }
        if (limits.cpuCap() > 0) {
            CgroupProcesses.write(dir.resolve("cpu.cfs_period_us"), Long.toString(CgroupController.CFS_PERIOD_MICROS));
            CgroupProcesses.write(dir.resolve("cpu.cfs_quota_us"),
                    Long.toString(CgroupController.cfsQuotaMicros(limits.cpuCap())));
        }
    }

    private static void limitMemory(Path dir, Limits limits) throws IOException {
        if (limits.memoryBytes() <= 0) {
            return;
        }
        CgroupProcesses.write(dir.resolve("memory.limit_in_bytes"), Long.toString(limits.memoryBytes()));
        Path swap = dir.resolve("memory.memsw.limit_in_bytes");
        if (Files.exists(swap)) {
            // Memory + swap capped at the same value: the task cannot swap its way past its limit.
            CgroupProcesses.write(swap, Long.toString(limits.memoryBytes()));
        }
    }

    @Override
    public void killAll(Container container) throws IOException {
        Optional<Path> freezer = cgroupIn(container, "freezer");
        if (freezer.isPresent()) {
            CgroupFreezer.killFrozen(freezer.get());
        }
        for (Path dir : dirs(container)) {
            CgroupProcesses.killAll(dir);
        }
    }

    @Override
    public Optional<Limitation> limitation(Container container) {
        Optional<Path> memory = cgroupIn(container, "memory");
        if (memory.isEmpty() || container.limits().memoryBytes() <= 0) {
            return Optional.empty();
        }
        long oomKills = CgroupStats.field(memory.get().resolve("memory.oom_control"), "oom_kill").orElse(0);
        if (oomKills == 0) {
            return Optional.empty();
        }
        long peak = CgroupStats.number(memory.get().resolve("memory.max_usage_in_bytes")).orElse(0);
        return Optional.of(new Limitation(Reason.REASON_CONTAINER_LIMITATION_MEMORY,
                "Memory limit exceeded: the kernel's OOM killer killed " + oomKills + " process(es) of the task,"
                        + " which used up to " + CgroupController.megabytes(peak) + " of its "
                        + CgroupController.megabytes(container.limits().memoryBytes()) + " limit"));
    }

    /**
     * cpuacct's {@code cpuacct.stat} (user and system time in USER_HZ ticks, 100 a second on Linux),
     * {@code memory.usage_in_bytes} and the rss of {@code memory.stat}, the processes in {@code cgroup.procs}
     * and (as threads) {@code pids.current}.
     */
    @Override
    public void usage(Container container, ResourceStatistics.Builder statistics) {
        cgroupIn(container, "cpuacct").ifPresent(dir -> {
            Path stat = dir.resolve("cpuacct.stat");
            CgroupStats.field(stat, "user").ifPresent(t -> statistics.setCpusUserTimeSecs(t / USER_HZ));
            CgroupStats.field(stat, "system").ifPresent(t -> statistics.setCpusSystemTimeSecs(t / USER_HZ));
        });
        cgroupIn(container, "memory").ifPresent(dir -> {
            CgroupStats.number(dir.resolve("memory.usage_in_bytes")).ifPresent(statistics::setMemTotalBytes);
            CgroupStats.field(dir.resolve("memory.stat"), "rss").ifPresent(statistics::setMemRssBytes);
        });
        dirs(container).stream().findFirst()
                .ifPresent(dir -> CgroupStats.processes(dir).ifPresent(statistics::setProcesses));
        cgroupIn(container, "pids").ifPresent(dir -> CgroupStats.number(dir.resolve("pids.current"))
                .ifPresent(n -> statistics.setThreads((int) n)));
    }

    @Override
    public void cleanup(Container container) throws IOException {
        IOException failure = null;
        for (Path dir : dirs(container)) {
            try {
                CgroupProcesses.remove(dir);
            } catch (IOException e) {
                failure = e;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** The container's directory in each hierarchy (cpu and cpuacct may share one mount). */
    private List<Path> dirs(Container container) {
        return hierarchies.values().stream().map(root -> root.resolve(container.name())).distinct().toList();
    }

    @Override
    public List<String> containersIn(String group) throws IOException {
        Set<String> names = new java.util.TreeSet<>();
        for (Path root : hierarchies.values()) {
            names.addAll(CgroupProcesses.children(root.resolve(group)));
        }
        return List.copyOf(names);
    }

    @Override
    public void removeGroup(String group) throws IOException {
        for (Path root : hierarchies.values()) {
            Files.deleteIfExists(root.resolve(group));
        }
    }

    private Optional<Path> cgroupIn(Container container, String hierarchy) {
        Path root = hierarchies.get(hierarchy);
        return root == null ? Optional.empty() : Optional.of(root.resolve(container.name()));
    }
}
