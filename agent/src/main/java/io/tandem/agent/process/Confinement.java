package io.tandem.agent.process;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a task's process is put before it execs, as the isolators decided: the cgroups it joins
 * (their {@code cgroup.procs} files), its own pid namespace (with an init as pid 1 and its own
 * {@code /proc}), its own mount namespace (with {@code tmp} bind-mounted on {@code /tmp} when given),
 * its own network namespace (loopback only, up), and the user it runs as.
 *
 * @param user null: the agent's own user
 */
public record Confinement(List<Path> cgroupProcs, boolean pidNamespace, boolean mountNamespace, Path tmp,
                          boolean network, RunAs user) {
    /** No confinement: a plain process of the agent's user. */
    public static final Confinement NONE = new Confinement(List.of(), false, false, null, false, null);

    /** A user to switch to: its name (for its supplementary groups), uid and primary gid. */
    public record RunAs(String name, long uid, long gid) {}

    public Confinement {
        cgroupProcs = List.copyOf(cgroupProcs);
    }

    public Confinement joining(Path cgroupDirectory) {
        List<Path> procs = new ArrayList<>(cgroupProcs);
        procs.add(cgroupDirectory.resolve("cgroup.procs"));
        return new Confinement(procs, pidNamespace, mountNamespace, tmp, network, user);
    }

    public Confinement withPidNamespace() {
        return new Confinement(cgroupProcs, true, true, tmp, network, user);
    }

    public Confinement withTmp(Path dir) {
        return new Confinement(cgroupProcs, pidNamespace, true, dir, network, user);
    }

    public Confinement withNetwork() {
        return new Confinement(cgroupProcs, pidNamespace, mountNamespace, tmp, true, user);
    }

    public Confinement as(RunAs runAs) {
        return new Confinement(cgroupProcs, pidNamespace, mountNamespace, tmp, network, runAs);
    }
}
