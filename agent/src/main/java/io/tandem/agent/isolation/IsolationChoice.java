package io.tandem.agent.isolation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Turns {@code --isolation} into an {@link Isolation}. Names: {@code cgroups/cpu},
 * {@code cgroups/mem}, {@code cgroups/pids}, {@code namespaces/pid}, {@code filesystem/tmp},
 * {@code namespaces/network}, {@code disk/du}, or {@code posix} alone for none. Without a spec,
 * every cgroups isolator this host allows is used, and {@code disk/du}; the namespaces are opt-in
 * (as in Mesos) because they change what a task sees: {@code $$}, {@code /proc} and the pids it
 * reports are the namespace's, not the host's; {@code /tmp} is its sandbox's; the network is its
 * own loopback. Refusals name the isolator and why it cannot be had.
 */
public final class IsolationChoice {
    public static final String POSIX = "posix";
    private static final List<String> SYSTEM_DIRS = List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin");
    public static final List<String> KNOWN = List.of(
            CgroupController.CPU.isolatorName(), CgroupController.MEMORY.isolatorName(),
            CgroupController.PIDS.isolatorName(), NamespaceIsolator.PID, NamespaceIsolator.TMP,
            NamespaceIsolator.NETWORK, DiskUsageIsolator.NAME, POSIX);

    private IsolationChoice() {}

    /**
     * The isolator names in {@code spec} ("cgroups/cpu,namespaces/pid"), in order.
     *
     * @throws IllegalArgumentException naming an unknown isolator, or posix mixed with others
     */
    public static List<String> parse(String spec) {
        Set<String> names = new LinkedHashSet<>();
        for (String name : spec.split(",")) {
            String trimmed = name.strip();
            if (!KNOWN.contains(trimmed)) {
                throw new IllegalArgumentException("unknown isolator '" + trimmed + "' in --isolation; known: "
                        + String.join(", ", KNOWN));
            }
            names.add(trimmed);
        }
        if (names.contains(POSIX) && names.size() > 1) {
            throw new IllegalArgumentException("isolator 'posix' means no isolation and cannot be combined with "
                    + names.stream().filter(n -> !n.equals(POSIX)).toList());
        }
        return List.copyOf(names);
    }

    /**
     * The isolation for {@code spec} on {@code host}; null spec: every cgroups isolator the host allows.
     *
     * @throws IllegalArgumentException when an isolator is unknown or this host cannot provide it
     */
    public static Isolation choose(String spec, Host host) {
        return choose(spec, host, DiskUsageIsolator.DEFAULT_INTERVAL);
    }

    /** As {@link #choose(String, Host)}, with {@code disk/du} measuring every {@code diskInterval}. */
    public static Isolation choose(String spec, Host host, java.time.Duration diskInterval) {
        if (spec == null) {
            List<String> available = KNOWN.stream().filter(n -> !NamespaceIsolator.NAMES.contains(n))
                    .filter(n -> !n.equals(POSIX)).filter(n -> unavailable(n, host).isEmpty()).toList();
            return build(available, host, diskInterval);
        }
        List<String> names = parse(spec);
        for (String name : names) {
            unavailable(name, host).ifPresent(reason -> {
                throw new IllegalArgumentException("isolator '" + name + "' is not available: " + reason);
            });
        }
        return build(names, host, diskInterval);
    }

    /** Why this host cannot give {@code name}, in words; empty when it can. */
    public static Optional<String> unavailable(String name, Host host) {
        if (name.equals(POSIX) || name.equals(DiskUsageIsolator.NAME)) {
            return Optional.empty();
        }
        if (!host.root()) {
            return Optional.of("the agent does not run as root");
        }
        if (NamespaceIsolator.NAMES.contains(name)) {
            return namespaceUnavailable(name, host);
        }
        CgroupController controller = CgroupController.named(name).orElseThrow();
        Optional<Path> dir = cgroupDirectory(controller, host.cgroups());
        if (dir.isEmpty()) {
            return Optional.of("no cgroup hierarchy has the " + kernelName(controller) + " controller");
        }
        return unwritable(dir.get()).or(() -> host.cgroups().prefersV1() ? Optional.empty()
                : undelegated(dir.get(), kernelName(controller)));
    }

    private static Optional<String> namespaceUnavailable(String name, Host host) {
        if (!host.namespaces()) {
            return Optional.of("this kernel has no namespaces (no /proc/self/ns)");
        }
        return Optional.empty();
    }

    /**
     * Cgroups v2 lets a cgroup hand a controller to its children only while it holds no process
     * itself, so an agent in a busy cgroup (a plain systemd service) cannot limit its tasks there.
     */
    private static Optional<String> undelegated(Path base, String controller) {
        try {
            CgroupProcesses.write(base.resolve("cgroup.subtree_control"), "+" + controller);
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("cannot enable the " + controller + " controller below " + base + " (" + e.getMessage()
                    + "); run the agent in a delegated cgroup of its own, e.g. systemd's Delegate=yes");
        }
    }

    private static Optional<Path> cgroupDirectory(CgroupController controller, HostCgroups cgroups) {
        String kernel = kernelName(controller);
        if (cgroups.prefersV1()) {
            return Optional.ofNullable(cgroups.v1().get(kernel));
        }
        return cgroups.v2().filter(dir -> cgroups.v2Controllers().contains(kernel));
    }

    private static Optional<String> unwritable(Path base) {
        try {
            Files.createDirectories(base.resolve("tandem"));
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("cannot create " + base.resolve("tandem") + ": " + e);
        }
    }

    private static String kernelName(CgroupController controller) {
        return switch (controller) {
            case CPU -> "cpu";
            case MEMORY -> "memory";
            case PIDS -> "pids";
        };
    }

    private static Isolation build(List<String> names, Host host, java.time.Duration diskInterval) {
        Set<CgroupController> controllers = EnumSet.noneOf(CgroupController.class);
        names.stream().map(CgroupController::named).flatMap(Optional::stream).forEach(controllers::add);
        List<Isolator> isolators = new ArrayList<>();
        if (!controllers.isEmpty()) {
            HostCgroups cgroups = host.cgroups();
            isolators.add(cgroups.prefersV1()
                    ? new CgroupsV1Isolator(cgroups.v1(), controllers)
                    : new CgroupsV2Isolator(cgroups.v2().orElseThrow(), controllers));
        }
        Set<String> namespaces = new LinkedHashSet<>(names);
        namespaces.retainAll(NamespaceIsolator.NAMES);
        if (!namespaces.isEmpty()) {
            isolators.add(new NamespaceIsolator(namespaces));
        }
        if (names.contains(DiskUsageIsolator.NAME)) {
            isolators.add(new DiskUsageIsolator(diskInterval, System::nanoTime));
        }
        return new Isolation(isolators);
    }

    /**
     * What the host allows.
     *
     * @param root whether the agent runs with effective uid 0
     * @param namespaces whether this kernel has pid, mount and network namespaces
     * @param setpriv the path of util-linux {@code setpriv} (health checks as the task's user), if installed
     */
    public record Host(boolean root, boolean namespaces, HostCgroups cgroups, String setpriv) {
        /** A host without setpriv. */
        public Host(boolean root, boolean namespaces, HostCgroups cgroups) {
            this(root, namespaces, cgroups, null);
        }

        public static Host detect() {
            boolean root = effectiveUid() == 0;
            boolean namespaces = Stream.of("pid", "mnt", "net").allMatch(ns -> Files.exists(Path.of("/proc/self/ns", ns)));
            return new Host(root, namespaces, HostCgroups.detect(), installed("setpriv"));
        }

        private static String installed(String program) {
            return SYSTEM_DIRS.stream().map(dir -> Path.of(dir, program)).filter(Files::isExecutable).findFirst()
                    .map(Path::toString).orElse(null);
        }

        private static long effectiveUid() {
            try (Stream<String> lines = Files.lines(Path.of("/proc/self/status"))) {
                return lines.filter(l -> l.startsWith("Uid:")).map(l -> l.split("\\s+")[2])
                        .mapToLong(Long::parseLong).findFirst().orElse(-1);
            } catch (IOException | RuntimeException e) {
                return -1;
            }
        }
    }
}
