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
 * {@code cgroups/mem}, {@code cgroups/pids}, {@code namespaces/pid}, or {@code posix} alone for
 * none. Without a spec, every cgroups isolator this host allows is used; the pid namespace is
 * opt-in (as in Mesos) because it changes what a task sees: {@code $$}, {@code /proc} and the pids
 * it reports are the namespace's, not the host's. Refusals name the isolator and why it cannot be
 * had.
 */
public final class IsolationChoice {
    public static final String POSIX = "posix";
    public static final List<String> KNOWN = List.of(
            CgroupController.CPU.isolatorName(), CgroupController.MEMORY.isolatorName(),
            CgroupController.PIDS.isolatorName(), PidNamespaceIsolator.NAME, POSIX);

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
        if (spec == null) {
            List<String> available = KNOWN.stream().filter(n -> !n.equals(PidNamespaceIsolator.NAME))
                    .filter(n -> unavailable(n, host).isEmpty()).toList();
            return build(available, host);
        }
        List<String> names = parse(spec);
        for (String name : names) {
            unavailable(name, host).ifPresent(reason -> {
                throw new IllegalArgumentException("isolator '" + name + "' is not available: " + reason);
            });
        }
        return build(names, host);
    }

    /** Why this host cannot give {@code name}, in words; empty when it can. */
    public static Optional<String> unavailable(String name, Host host) {
        if (name.equals(POSIX)) {
            return Optional.empty();
        }
        if (!host.root()) {
            return Optional.of("the agent does not run as root");
        }
        if (name.equals(PidNamespaceIsolator.NAME)) {
            return host.unshare().isPresent() ? Optional.empty()
                    : Optional.of("'unshare --pid --fork --mount-proc' does not work here");
        }
        CgroupController controller = CgroupController.named(name).orElseThrow();
        Optional<Path> dir = cgroupDirectory(controller, host.cgroups());
        if (dir.isEmpty()) {
            return Optional.of("no cgroup hierarchy has the " + kernelName(controller) + " controller");
        }
        return unwritable(dir.get()).or(() -> host.cgroups().prefersV1() ? Optional.empty()
                : undelegated(dir.get(), kernelName(controller)));
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

    private static Isolation build(List<String> names, Host host) {
        Set<CgroupController> controllers = EnumSet.noneOf(CgroupController.class);
        names.stream().map(CgroupController::named).flatMap(Optional::stream).forEach(controllers::add);
        List<Isolator> isolators = new ArrayList<>();
        if (!controllers.isEmpty()) {
            HostCgroups cgroups = host.cgroups();
            isolators.add(cgroups.prefersV1()
                    ? new CgroupsV1Isolator(cgroups.v1(), controllers)
                    : new CgroupsV2Isolator(cgroups.v2().orElseThrow(), controllers));
        }
        if (names.contains(PidNamespaceIsolator.NAME)) {
            isolators.add(new PidNamespaceIsolator(host.unshare().orElseThrow()));
        }
        return new Isolation(isolators);
    }

    /**
     * What the host allows.
     *
     * @param root whether the agent runs with effective uid 0
     * @param unshare the path of a working {@code unshare}, if pid namespaces work here
     */
    public record Host(boolean root, Optional<String> unshare, HostCgroups cgroups) {
        public static Host detect() {
            boolean root = effectiveUid() == 0;
            return new Host(root, root ? workingUnshare() : Optional.empty(), HostCgroups.detect());
        }

        private static long effectiveUid() {
            try (Stream<String> lines = Files.lines(Path.of("/proc/self/status"))) {
                return lines.filter(l -> l.startsWith("Uid:")).map(l -> l.split("\\s+")[2])
                        .mapToLong(Long::parseLong).findFirst().orElse(-1);
            } catch (IOException | RuntimeException e) {
                return -1;
            }
        }

        private static Optional<String> workingUnshare() {
            for (String dir : List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin")) {
                Path unshare = Path.of(dir, "unshare");
                if (Files.isExecutable(unshare) && runs(unshare.toString(), "--pid", "--fork", "--mount-proc", "true")) {
                    return Optional.of(unshare.toString());
                }
            }
            return Optional.empty();
        }

        private static boolean runs(String... command) {
            try {
                Process process = new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                return process.waitFor() == 0;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }
}
