package io.tandem.testkit;

import java.util.ArrayList;
import java.util.List;
import org.apache.mesos.v1.Protos.FrameworkInfo;

/**
 * The frameworks (and stray processes) one test started on a shared {@link InProcessCluster}, stopped
 * together after it so that the next test finds the cluster as the first one did:
 *
 * <pre>{@code
 * @BeforeAll void startCluster() { cluster = ...start(); frameworks = new FrameworkPool(cluster); }
 * @AfterEach void stopFrameworks() { frameworks.closeAll(); }
 * }</pre>
 *
 * Not thread-safe: used from the test's own thread.
 */
public final class FrameworkPool {
    private final InProcessCluster cluster;
    private final List<RunningFramework> frameworks = new ArrayList<>();
    private final List<Long> pids = new ArrayList<>();

    public FrameworkPool(InProcessCluster cluster) {
        this.cluster = cluster;
    }

    /** A framework whose scheduler launches {@code tasks} on the first offers they fit. */
    public RunningFramework start(FrameworkInfo info, TaskSpec... tasks) {
        RecordingScheduler scheduler = new RecordingScheduler();
        scheduler.launch(tasks);
        return start(info, scheduler);
    }

    public RunningFramework start(FrameworkInfo info, RecordingScheduler scheduler) {
        RunningFramework framework = RunningFramework.start(cluster.masterUrl(), info, scheduler);
        frameworks.add(framework);
        return framework;
    }

    /** A process a test saw started (a task's), killed by its PID after the test should it outlive it. */
    public void reapAfterwards(long pid) {
        pids.add(pid);
    }

    /** Tears every framework down, then kills the processes given to {@link #reapAfterwards}. */
    public void closeAll() {
        frameworks.forEach(RunningFramework::close);
        frameworks.clear();
        pids.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        pids.clear();
    }
}
