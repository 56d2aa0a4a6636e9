package io.tandem.agent.isolation;

import io.tandem.agent.process.Confinement;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.mesos.v1.Protos.ResourceStatistics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's isolator pipeline: what {@code --isolation} chose, applied to every command task.
 * {@link #prepare} before the launch, {@link #confinement} to learn where the process goes (cgroups,
 * namespaces, user) before it execs, {@link #finish} once the task's main process has exited.
 * {@link #none()} is the POSIX fallback: plain processes, no limits.
 *
 * <p>Immutable and thread-safe; every method but {@link #confinement} blocks on file I/O.
 */
public final class Isolation {
    private static final Logger log = LoggerFactory.getLogger(Isolation.class);
    private final List<Isolator> isolators;
    /** util-linux setpriv (health check commands take the task's user through it) when tasks run as their users, else null. */
    private final String setpriv;

    public Isolation(List<Isolator> isolators) {
        this(isolators, null);
    }

    private Isolation(List<Isolator> isolators, String setpriv) {
        this.isolators = List.copyOf(isolators);
        this.setpriv = setpriv;
    }

    /**
     * This isolation, with every task run as its user (CommandInfo.user, else FrameworkInfo.user)
     * (health checks through {@code setpriv}), its sandbox owned by that user; null {@code setpriv}: as the agent's user.
     */
    public Isolation switchingUsers(String setpriv) {
        return new Isolation(isolators, setpriv);
    }

    /** Whether tasks run as their own users (the agent runs as root and {@code --switch-user} is on). */
    public boolean switchesUsers() {
        return setpriv != null;
    }

    /** Whether a launch needs a container at all: isolators to apply or a user to switch to. */
    public boolean contains() {
        return !isolators.isEmpty() || switchesUsers();
    }

    public static Isolation none() {
        return new Isolation(List.of());
    }

    /**
     * Whether tasks are confined (cgroups or namespaces); false for the POSIX fallback, which may
     * still measure disk use ({@code disk/du}).
     */
    public boolean isolates() {
        return isolators.stream().anyMatch(i -> !(i instanceof DiskUsageIsolator));
    }

    /** The isolator names in effect, e.g. {@code [cgroups/cpu, cgroups/mem, namespaces/pid]}. */
    public List<String> names() {
        return isolators.stream().flatMap(i -> i.names().stream()).toList();
    }

    /**
     * Creates the container's cgroups and writes its limits. On failure, whatever was created is
     * removed again and the exception says what failed.
     */
    public Container prepare(String name, Limits limits) throws IOException {
        return prepare(new Container(name, limits));
    }

    /**
     * Creates the container's cgroups and whatever its isolators need in the sandbox, writes its
     * limits, and (when switching users) gives the sandbox to its user. On failure, whatever was
     * created is removed again and the exception says what failed.
     */
    public Container prepare(Container container) throws IOException {
        try {
            for (Isolator isolator : isolators) {
                isolator.prepare(container);
            }
            if (container.user().isPresent() && container.sandbox().isPresent()) {
                container.user().get().own(container.sandbox().get());
            }
        } catch (IOException | RuntimeException e) {
            cleanup(container);
            throw e;
        }
        return container;
    }

    /**
     * {@code argv} run as {@code container}'s user when tasks run as their own users, else
     * unchanged: how a helper command (a health check) gets the task's user without its namespaces.
     */
    public List<String> asTaskUser(Container container, List<String> argv) {
        if (setpriv != null && container.user().filter(u -> !u.isRoot()).isPresent()) {
            return container.user().get().wrap(setpriv, argv);
        }
        return argv;
    }

    /**
     * Where the container's process goes before it execs: its cgroups, each isolator's namespaces,
     * and the task's user when tasks run as their users (taken last, so the setup runs as root).
     */
    public Confinement confinement(Container container) {
        Confinement confinement = Confinement.NONE;
        for (Path cgroup : container.cgroups()) {
            confinement = confinement.joining(cgroup);
        }
        for (Isolator isolator : isolators) {
            confinement = isolator.confine(container, confinement);
        }
        if (setpriv != null && container.user().filter(u -> !u.isRoot()).isPresent()) {
            TaskUser user = container.user().get();
            confinement = confinement.as(new Confinement.RunAs(user.name(), user.uid(), user.gid()));
        }
        return confinement;
    }

    /** The limit a running container has hit so far, if any (e.g. the OOM killer struck in it). */
    public Optional<Limitation> limitation(Container container) {
        Optional<Limitation> limitation = Optional.empty();
        for (Isolator isolator : isolators) {
            limitation = limitation.or(() -> isolator.limitation(container));
        }
        return limitation;
    }

    /**
     * What the running container uses now, as Mesos reports it: cpu user and system seconds,
     * memory in use, processes and threads, disk used (as last measured), with the limits.
     */
    public ResourceStatistics usage(Container container, Instant now) {
        ResourceStatistics.Builder statistics = ResourceStatistics.newBuilder()
                .setTimestamp(now.toEpochMilli() / 1000.0);
        Limits limits = container.limits();
        if (limits.cpuCap() > 0 || limits.cpus() > 0) {
            statistics.setCpusLimit(limits.cpuCap() > 0 ? limits.cpuCap() : limits.cpus());
        }
        if (limits.memoryBytes() > 0) {
            statistics.setMemLimitBytes(limits.memoryBytes());
        }
        for (Isolator isolator : isolators) {
            try {
                isolator.usage(container, statistics);
            } catch (RuntimeException e) {
                log.debug("{}: cannot read usage: {}", container, e.toString());
            }
        }
        return statistics.build();
    }

    /**
     * Ends the container after its main process exited: kills every process left in it (daemons
     * included), reads which limit it hit, removes its cgroups. Never throws; failures are logged.
     */
    public Optional<Limitation> finish(Container container) {
        Optional<Limitation> limitation = stop(container);
        cleanup(container);
        return limitation;
    }

    /**
     * The first half of {@link #finish}: kills every process left in the container and reads which
     * limit it hit, so the task's end can be reported; {@link #remove} later removes its cgroups.
     */
    public Optional<Limitation> stop(Container container) {
        for (Isolator isolator : isolators) {
            try {
                isolator.killAll(container);
            } catch (IOException | RuntimeException e) {
                log.warn("{}: cannot kill every process: {}", container, e.getMessage());
            }
        }
        return limitation(container);
    }

    /** The second half of {@link #finish}: removes what {@link #prepare} made. Never throws. */
    public void remove(Container container) {
        cleanup(container);
    }

    /**
     * Kills and removes every container named {@code group/...} (an agent's), then the group's own
     * directory: at start, what a crashed run of the same agent left; at close, anything missed.
     * Never throws; failures are logged.
     *
     * @return how many containers there were
     */
    public int clearGroup(String group) {
        return clearGroup(group, Set.of());
    }

    /**
     * As {@link #clearGroup(String)}, but leaves the containers named in {@code keep} (full names,
     * {@code group/...}: tasks a restarted agent re-attached to) and then the group directory too.
     */
    public int clearGroup(String group, Set<String> keep) {
        Set<String> names = new TreeSet<>();
        for (Isolator isolator : isolators) {
            try {
                names.addAll(isolator.containersIn(group));
            } catch (IOException | RuntimeException e) {
                log.warn("cannot list the containers of {}: {}", group, e.toString());
            }
        }
        names.removeIf(name -> keep.contains(group + "/" + name));
        for (String name : names) {
            finish(new Container(group + "/" + name, Limits.none()));
        }
        for (Isolator isolator : isolators) {
            if (!keep.isEmpty()) {
                break;
            }
            try {
                isolator.removeGroup(group);
            } catch (IOException | RuntimeException e) {
                log.debug("cannot remove cgroup group {}: {}", group, e.toString());
            }
        }
        return names.size();
    }

    private void cleanup(Container container) {
        for (Isolator isolator : isolators) {
            try {
                isolator.cleanup(container);
            } catch (IOException | RuntimeException e) {
                log.warn("{}: cannot clean up: {}", container, e.getMessage());
            }
        }
    }

    @Override
    public String toString() {
        String users = switchesUsers() ? ", tasks run as their users" : "";
        return (isolates() ? String.join(",", names()) : "posix (no isolation)"
                + (isolators.isEmpty() ? "" : ", " + String.join(",", names()))) + users;
    }
}
