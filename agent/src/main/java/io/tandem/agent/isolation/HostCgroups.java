package io.tandem.agent.isolation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The cgroups this host has, read from {@code /proc/self/mountinfo} and {@code /proc/self/cgroup}:
 * each mounted v1 controller and the unified (v2) hierarchy, each as the directory of the agent's
 * own cgroup in it (tasks' cgroups nest below the agent's, so the agent's own limits still hold).
 *
 * @param v1 v1 controller name ({@code cpu}, {@code memory}, ...) to the agent's cgroup directory
 * @param v2 the agent's cgroup directory in the unified hierarchy, if mounted
 * @param v2Controllers the controllers available there ({@code cgroup.controllers})
 */
public record HostCgroups(Map<String, Path> v1, Optional<Path> v2, Set<String> v2Controllers) {
    static final Set<String> V1_CONTROLLERS = Set.of("cpu", "cpuacct", "memory", "pids", "freezer");

    public HostCgroups {
        v1 = Map.copyOf(v1);
        v2Controllers = Set.copyOf(v2Controllers);
    }

    /** This process's view of the host. */
    public static HostCgroups detect() {
        try {
            return parse(Files.readAllLines(Path.of("/proc/self/mountinfo")),
                    Files.readAllLines(Path.of("/proc/self/cgroup")), HostCgroups::controllersIn);
        } catch (IOException e) {
            return new HostCgroups(Map.of(), Optional.empty(), Set.of());
        }
    }

    /**
     * @param mountinfo lines of {@code /proc/self/mountinfo}
     * @param selfCgroup lines of {@code /proc/self/cgroup} ({@code id:controllers:path})
     * @param controllersOf reads a v2 directory's {@code cgroup.controllers}
     */
    static HostCgroups parse(List<String> mountinfo, List<String> selfCgroup,
                             Function<Path, Set<String>> controllersOf) {
        Map<String, String> own = new HashMap<>();
        for (String line : selfCgroup) {
            String[] parts = line.split(":", 3);
            if (parts.length == 3) {
                Arrays.stream(parts[1].split(",")).forEach(c -> own.put(c, parts[2]));
            }
        }
        Map<String, Path> v1 = new LinkedHashMap<>();
        Optional<Path> v2 = Optional.empty();
        for (String line : mountinfo) {
            String[] halves = line.split(" - ", 2);
            String[] left = halves[0].split(" ");
            String[] right = halves.length == 2 ? halves[1].split(" ") : new String[0];
            if (left.length < 5 || right.length < 3) {
                continue;
            }
            String root = left[3];
            Path mountPoint = Path.of(left[4]);
            if (right[0].equals("cgroup")) {
                for (String option : right[2].split(",")) {
                    if (V1_CONTROLLERS.contains(option) && own.containsKey(option)) {
                        v1.put(option, below(mountPoint, root, own.get(option)));
                    }
                }
            } else if (right[0].equals("cgroup2") && own.containsKey("")) {
                v2 = Optional.of(below(mountPoint, root, own.get("")));
            }
        }
        Set<String> v2Controllers = v2.map(controllersOf).orElse(Set.of());
        return new HostCgroups(v1, v2, v2Controllers);
    }

    /** The directory of cgroup {@code path} in a hierarchy mounted at {@code mountPoint} from {@code root}. */
    private static Path below(Path mountPoint, String root, String path) {
        String relative = path;
        if (!root.equals("/") && path.startsWith(root)) {
            relative = path.substring(root.length());
        } else if (!root.equals("/")) {
            relative = "/"; // a cgroup namespace hides where we are; start at the mount
        }
        return relative.equals("/") ? mountPoint : mountPoint.resolve(relative.substring(1));
    }

    private static Set<String> controllersIn(Path dir) {
        try {
            return Set.of(Files.readString(dir.resolve("cgroup.controllers")).strip().split("\\s+"));
        } catch (IOException e) {
            return Set.of();
        }
    }

    /** Which cgroup version the agent should use: v1 when any v1 controller is mounted (legacy, hybrid). */
    public boolean prefersV1() {
        return v1.containsKey("cpu") || v1.containsKey("memory") || v1.containsKey("pids");
    }
}
