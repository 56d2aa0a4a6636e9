package io.tandem.agent.isolation;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One task's isolation: its name (a relative path such as {@code agent-1/fw-1.task-7}, unique
 * on the agent), its limits, its sandbox and user (when the agent switches users), the cgroup
 * directories its first process joins before it execs, and the latest disk measurement.
 *
 * <p>Filled in by the isolators' {@code prepare} on the launching thread, read afterwards on the
 * process's exit thread, the limit watcher and operator requests: the cgroups list is safe to read
 * from any thread, the disk fields are volatile.
 */
public final class Container {
    private final String name;
    private final Limits limits;
    private final Path sandbox;
    private final TaskUser user;
    private final List<Path> cgroups = new CopyOnWriteArrayList<>();
    private volatile long diskUsedBytes = -1;
    private volatile long diskCheckedNanos;
    private volatile Limitation diskLimitation;

    public Container(String name, Limits limits) {
        this(name, limits, null, null);
    }

    /**
     * @param sandbox the task's sandbox (null: none, e.g. a container re-found after a crash)
     * @param user the user the task runs as (null: the agent's own)
     */
    public Container(String name, Limits limits, Path sandbox, TaskUser user) {
        if (name.isBlank() || name.startsWith("/") || java.util.Arrays.asList(name.split("/")).contains("..")) {
            throw new IllegalArgumentException("container name '" + name + "' must be a relative path");
        }
        this.name = name;
        this.limits = limits;
        this.sandbox = sandbox;
        this.user = user;
    }

    public String name() {
        return name;
    }

    public Limits limits() {
        return limits;
    }

    public Optional<Path> sandbox() {
        return Optional.ofNullable(sandbox);
    }

    public Optional<TaskUser> user() {
        return Optional.ofNullable(user);
    }

    /** The cgroup directories the task's process is placed in, in the order they were created. */
    public List<Path> cgroups() {
        return List.copyOf(new ArrayList<>(cgroups));
    }

    void join(Path cgroup) {
        cgroups.add(cgroup);
    }

    /** Bytes the sandbox held at the last measurement by {@code disk/du}; -1 before the first. */
    public long diskUsedBytes() {
        return diskUsedBytes;
    }

    long diskCheckedNanos() {
        return diskCheckedNanos;
    }

    void diskMeasured(long bytes, long atNanos) {
        diskUsedBytes = bytes;
        diskCheckedNanos = atNanos;
    }

    Optional<Limitation> diskLimitation() {
        return Optional.ofNullable(diskLimitation);
    }

    void diskLimitation(Limitation limitation) {
        diskLimitation = limitation;
    }

    @Override
    public String toString() {
        return "container " + name;
    }
}
