package io.tandem.agent.isolation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.mesos.v1.Protos.ResourceStatistics;
import org.apache.mesos.v1.Protos.TaskStatus.Reason;

/**
 * Cgroups v2 (unified hosts): one directory per container, {@code <base>/tandem/<container>}, with
 * the chosen controllers enabled in {@code cgroup.subtree_control} at every level from the base
 * down. cpu: {@code cpu.weight = clamp(round(100 * cpus), 1, 10000)} (100 is v2's default weight,
 * as 1024 shares are v1's, so one cpu weighs the same in both) and, with a cap,
 * {@code cpu.max = "<cap * period> <period>"}; memory: {@code memory.max}, {@code memory.swap.max = 0};
 * pids: {@code pids.max}. Killing uses {@code cgroup.kill} where the kernel has it (5.14+).
 * Stateless; thread-safe.
 */
public final class CgroupsV2Isolator implements Isolator {
    private final Path base;
    private final Path root;
    private final Set<CgroupController> controllers;

    /** @param base the agent's own cgroup directory in the unified hierarchy */
    public CgroupsV2Isolator(Path base, Set<CgroupController> controllers) {
        this.base = base;
        this.root = base.resolve("tandem");
        this.controllers = Set.copyOf(controllers);
    }

    @Override
    public List<String> names() {
        return controllers.stream().map(CgroupController::isolatorName).sorted().toList();
    }

    @Override
    public void prepare(Container container) throws IOException {
        Path dir = root.resolve(container.name());
        Files.createDirectories(dir);
        String enable = controllers.stream().map(CgroupsV2Isolator::kernelName).sorted()
                .map(c -> "+" + c).collect(Collectors.joining(" "));
        for (Path level = dir.getParent(); level.startsWith(base); level = level.getParent()) {
            CgroupProcesses.write(level.resolve("cgroup.subtree_control"), enable);
        }
        container.join(dir);
        Limits limits = container.limits();
        if (controllers.contains(CgroupController.CPU)) {
            limitCpu(dir, limits);
        }
        if (controllers.contains(CgroupController.MEMORY) && limits.memoryBytes() > 0) {
            CgroupProcesses.write(dir.resolve("memory.max"), Long.toString(limits.memoryBytes()));
            if (Files.exists(dir.resolve("memory.swap.max"))) {
                CgroupProcesses.write(dir.resolve("memory.swap.max"), "0");
            }
        }
        if (controllers.contains(CgroupController.PIDS) && limits.pids() > 0) {
            CgroupProcesses.write(dir.resolve("pids.max"), Long.toString(limits.pids()));
        }
    }

    private static void limitCpu(Path dir, Limits limits) throws IOException {
        if (limits.cpus() > 0) {
            long weight = Math.clamp(Math.round(100 * limits.cpus()), 1, 10_000);
            CgroupProcesses.write(dir.resolve("cpu.weight"), Long.toString(weight));
        }
        if (limits.cpuCap() > 0) {
            CgroupProcesses.write(dir.resolve("cpu.max"),
                    CgroupController.cfsQuotaMicros(limits.cpuCap()) + " " + CgroupController.CFS_PERIOD_MICROS);
        }
    }

    private static String kernelName(CgroupController controller) {
        return switch (controller) {
            case CPU -> "cpu";
            case MEMORY -> "memory";
            case PIDS -> "pids";
        };
    }

    @Override
    public void killAll(Container container) throws IOException {
        Path dir = root.resolve(container.name());
        Path kill = dir.resolve("cgroup.kill");
        if (Files.exists(kill)) {
            CgroupProcesses.write(kill, "1");
        }
        CgroupProcesses.killAll(dir);
    }

    @Override
    public Optional<Limitation> limitation(Container container) {
        if (!controllers.contains(CgroupController.MEMORY) || container.limits().memoryBytes() <= 0) {
            return Optional.empty();
        }
        Path dir = root.resolve(container.name());
        long oomKills = CgroupStats.field(dir.resolve("memory.events"), "oom_kill").orElse(0);
        if (oomKills == 0) {
            return Optional.empty();
        }
        long peak = CgroupStats.number(dir.resolve("memory.peak")).orElse(0);
        return Optional.of(new Limitation(Reason.REASON_CONTAINER_LIMITATION_MEMORY,
                "Memory limit exceeded: the kernel's OOM killer killed " + oomKills + " process(es) of the task,"
                        + " which used up to " + CgroupController.megabytes(peak) + " of its "
                        + CgroupController.megabytes(container.limits().memoryBytes()) + " limit"));
    }

    /**
     * {@code cpu.stat}'s user and system microseconds (always there in v2), {@code memory.current},
     * the processes in {@code cgroup.procs} and
     * (as threads) {@code pids.current}.
     */
    @Override
    public void usage(Container container, ResourceStatistics.Builder statistics) {
        Path dir = root.resolve(container.name());
        CgroupStats.field(dir.resolve("cpu.stat"), "user_usec").ifPresent(u -> statistics.setCpusUserTimeSecs(u / 1e6));
        CgroupStats.field(dir.resolve("cpu.stat"), "system_usec")
                .ifPresent(u -> statistics.setCpusSystemTimeSecs(u / 1e6));
        if (controllers.contains(CgroupController.MEMORY)) {
            CgroupStats.number(dir.resolve("memory.current")).ifPresent(statistics::setMemTotalBytes);
            CgroupStats.field(dir.resolve("memory.stat"), "anon").ifPresent(statistics::setMemRssBytes);
        }
        CgroupStats.processes(dir).ifPresent(statistics::setProcesses);
        if (controllers.contains(CgroupController.PIDS)) {
            CgroupStats.number(dir.resolve("pids.current")).ifPresent(n -> statistics.setThreads((int) n));
        }
    }

    @Override
    public List<String> containersIn(String group) throws IOException {
        return CgroupProcesses.children(root.resolve(group));
    }

    @Override
    public void removeGroup(String group) throws IOException {
        Files.deleteIfExists(root.resolve(group));
    }

    @Override
    public void cleanup(Container container) throws IOException {
        CgroupProcesses.remove(root.resolve(container.name()));
    }
}
