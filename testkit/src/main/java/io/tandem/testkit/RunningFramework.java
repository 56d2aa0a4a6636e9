package io.tandem.testkit;

import static org.awaitility.Awaitility.await;

import io.tandem.sdk.SchedulerDriver;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskStatus;

/**
 * A subscribed framework for tests: a real {@link SchedulerDriver} talking to the master over HTTP,
 * with a {@link RecordingScheduler}. {@link #start} returns once the master said SUBSCRIBED.
 *
 * <pre>{@code
 * try (RunningFramework fw = RunningFramework.start(cluster.masterUrl(), RunningFramework.info("web"),
 *         new RecordingScheduler())) {
 *     fw.scheduler().launch(Tasks.shell("t1", "echo hi"));
 *     fw.scheduler().awaitState(TaskID.newBuilder().setValue("t1").build(), TaskState.TASK_FINISHED);
 * }
 * }</pre>
 *
 * <p>Thread-safe (it only hands out the thread-safe driver and scheduler).
 */
public final class RunningFramework implements AutoCloseable {
    private final SchedulerDriver driver;
    private final RecordingScheduler scheduler;
    private final FrameworkID id;

    private RunningFramework(SchedulerDriver driver, RecordingScheduler scheduler, FrameworkID id) {
        this.driver = driver;
        this.scheduler = scheduler;
        this.id = id;
    }

    /** Subscribes with {@code info} (give it an id to fail over to an existing framework) and waits for SUBSCRIBED. */
    public static RunningFramework start(URI master, FrameworkInfo info, RecordingScheduler scheduler) {
        SchedulerDriver driver = SchedulerDriver.builder().master(master.toString()).frameworkInfo(info)
                .scheduler(scheduler).backoff(Duration.ofMillis(100), Duration.ofSeconds(1))
                .callTimeout(Duration.ofSeconds(30)).build();
        driver.start();
        try {
            return new RunningFramework(driver, scheduler, scheduler.awaitSubscribed());
        } catch (RuntimeException | Error e) {
            driver.close();
            throw e;
        }
    }

    /** A FrameworkInfo for tests: this user, role {@code *}, no failover timeout. */
    public static FrameworkInfo info(String name) {
        return FrameworkInfo.newBuilder().setUser(System.getProperty("user.name", "tandem")).setName(name).build();
    }

    /** {@link #info(String)} with the PARTITION_AWARE capability (TASK_DROPPED, TASK_UNREACHABLE, TASK_GONE). */
    public static FrameworkInfo partitionAwareInfo(String name) {
        return info(name).toBuilder().addCapabilities(FrameworkInfo.Capability.newBuilder()
                .setType(FrameworkInfo.Capability.Type.PARTITION_AWARE)).build();
    }

    public SchedulerDriver driver() {
        return driver;
    }

    public RecordingScheduler scheduler() {
        return scheduler;
    }

    public FrameworkID id() {
        return id;
    }

    /**
     * Waits until every event the master sent before this call has arrived: asks for an explicit
     * reconciliation of a task that does not exist and waits for its answer, which the master puts
     * on the stream after everything earlier.
     */
    public void sync() {
        TaskID marker = TaskID.newBuilder().setValue("sync-" + UUID.randomUUID()).build();
        join(driver.reconcile(List.of(TaskStatus.newBuilder().setTaskId(marker)
                .setState(org.apache.mesos.v1.Protos.TaskState.TASK_STAGING).build())));
        await("reconciliation answer for " + marker.getValue()).atMost(RecordingScheduler.PATIENCE)
                .until(() -> !scheduler.statuses(marker).isEmpty());
    }

    /** Waits for a call's 202; fails the test with the master's answer otherwise. */
    public static void join(java.util.concurrent.CompletableFuture<Void> call) {
        try {
            call.get(RecordingScheduler.PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (Exception e) {
            throw new AssertionError("call failed: " + e.getMessage(), e);
        }
    }

    /** Leaves without tearing down: the master keeps the framework for its failover timeout. */
    public void disconnect() {
        driver.stop(true);
    }

    /** Tears the framework down (the master kills its tasks) and stops the driver. */
    @Override
    public void close() {
        driver.close();
    }
}
