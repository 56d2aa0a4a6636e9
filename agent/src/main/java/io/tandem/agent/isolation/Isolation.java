package io.tandem.agent.isolation;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's isolator pipeline: what {@code --isolation} chose, applied to every command task.
 * {@link #prepare} before the launch, {@link #command} to get the argv that places the process in
 * its cgroups before it execs, {@link #finish} once the task's main process has exited.
 * {@link #none()} is the POSIX fallback: plain processes, no limits.
 *
 * <p>Immutable and thread-safe; every method but {@link #command} blocks on file I/O.
 */
public final class Isolation {
    private static final Logger log = LoggerFactory.getLogger(Isolation.class);
    /**
     * Runs first in the new process: writes its own pid into each {@code cgroup.procs} given, then
     * execs the rest. Arguments: count, that many files, then the command.
     */
    private static final String JOIN_SCRIPT =
            "n=$1; shift; while [ \"$n\" -gt 0 ]; do echo $$ > \"$1\" || exit 125; shift; n=$((n-1)); done; exec \"$@\"";

    private final List<Isolator> isolators;

    public Isolation(List<Isolator> isolators) {
        this.isolators = List.copyOf(isolators);
    }

    public static Isolation none() {
        return new Isolation(List.of());
    }

    /** False for the POSIX fallback. */
    public boolean isolates() {
        return !isolators.isEmpty();
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
        Container container = new Container(name, limits);
        try {
            for (Isolator isolator : isolators) {
                isolator.prepare(container);
            }
        } catch (IOException | RuntimeException e) {
            cleanup(container);
            throw e;
        }
        return container;
    }

    /** The argv to exec for {@code argv}: join the cgroups, then each isolator's wrapping. */
    public List<String> command(Container container, List<String> argv) {
        List<String> wrapped = argv;
        for (Isolator isolator : isolators.reversed()) {
            wrapped = isolator.wrap(wrapped);
        }
        List<Path> cgroups = container.cgroups();
        if (cgroups.isEmpty()) {
            return wrapped;
        }
        List<String> command = new ArrayList<>(List.of("/bin/sh", "-c", JOIN_SCRIPT, "tandem-join"));
        command.add(Integer.toString(cgroups.size()));
        cgroups.forEach(dir -> command.add(dir.resolve("cgroup.procs").toString()));
        command.addAll(wrapped);
        return command;
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
     * Ends the container after its main process exited: kills every process left in it (daemons
     * included), reads which limit it hit, removes its cgroups. Never throws; failures are logged.
     */
    public Optional<Limitation> finish(Container container) {
        for (Isolator isolator : isolators) {
            try {
                isolator.killAll(container);
            } catch (IOException | RuntimeException e) {
                log.warn("{}: cannot kill every process: {}", container, e.getMessage());
            }
        }
        Optional<Limitation> limitation = limitation(container);
        cleanup(container);
        return limitation;
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
        return isolates() ? String.join(",", names()) : "posix (no isolation)";
    }
}
