package io.tandem.agent.isolation;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One task's isolation: its name (a relative path such as {@code agent-1/fw-1.task-7}, unique
 * on the agent), its limits, and the cgroup directories its first process joins before it execs.
 *
 * <p>Filled in by the isolators' {@code prepare} on the launching thread, read afterwards on the
 * process's exit thread; the hand-over goes through the launch's {@code CompletableFuture}s.
 */
public final class Container {
    private final String name;
    private final Limits limits;
    private final List<Path> cgroups = new ArrayList<>();

    public Container(String name, Limits limits) {
        if (name.isBlank() || name.startsWith("/") || java.util.Arrays.asList(name.split("/")).contains("..")) {
            throw new IllegalArgumentException("container name '" + name + "' must be a relative path");
        }
        this.name = name;
        this.limits = limits;
    }

    public String name() {
        return name;
    }

    public Limits limits() {
        return limits;
    }

    /** The cgroup directories the task's process is placed in, in the order they were created. */
    public List<Path> cgroups() {
        return List.copyOf(cgroups);
    }

    void join(Path cgroup) {
        cgroups.add(cgroup);
    }

    @Override
    public String toString() {
        return "container " + name;
    }
}
