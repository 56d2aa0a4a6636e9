package io.tandem.bench;

import io.tandem.sdk.Scheduler;
import io.tandem.sdk.SchedulerCalls;
import io.tandem.sdk.SchedulerDriver;
import io.tandem.testkit.InProcessCluster;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.Protos.Value;

/**
 * Launch throughput of one agent: an in-process master and one agent with the given isolation; one
 * framework accepts its first offer with {@code tasks} command tasks of {@code /bin/true} in one
 * ACCEPT, and the time from that ACCEPT to the last TASK_FINISHED is measured. In the same run, the
 * floor: a bare loop that forks and execs the same number of {@code /bin/true} through
 * {@link ProcessBuilder}, one after another and all at once.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar io.tandem.bench.LaunchBenchmark [tasks] [isolation] [rounds]
 * </pre>
 *
 * Not JMH: it needs a real agent, real processes and real cgroups, and one round takes seconds.
 * Run as root on a cgroups host to get the isolation asked for; the agent refuses to start otherwise.
 */
public final class LaunchBenchmark {
    private static final String ISOLATION = "cgroups/cpu,cgroups/mem,cgroups/pids,namespaces/pid";

    private LaunchBenchmark() {}

    public static void main(String[] args) throws Exception {
        int tasks = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        String isolation = args.length > 1 ? args[1] : ISOLATION;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        System.out.printf("%d tasks of /bin/true on one agent, isolation %s, %d cores%n", tasks, isolation,
                Runtime.getRuntime().availableProcessors());
        for (int round = 1; round <= rounds; round++) {
            double sequential = bareSequential(tasks);
            double concurrent = bareConcurrent(tasks);
            double agent = throughAgent(tasks, isolation);
            System.out.printf("round %d: agent %.2f s (%.0f tasks/s); bare fork+exec sequential %.2f s,"
                            + " all at once %.2f s; agent/bare-sequential %.1fx%n",
                    round, agent, tasks / agent, sequential, concurrent, agent / sequential);
        }
    }

    /** Seconds to start {@code count} {@code /bin/true} one after another, each waited for. */
    static double bareSequential(int count) throws IOException, InterruptedException {
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            new ProcessBuilder("/bin/true").start().waitFor();
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /** Seconds to start {@code count} {@code /bin/true} at once (virtual threads, as the agent launches) until all exited. */
    static double bareConcurrent(int count) throws InterruptedException {
        long start = System.nanoTime();
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < count; i++) {
                threads.execute(() -> {
                    try {
                        new ProcessBuilder("/bin/true").start().waitFor();
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
            }
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /** Seconds from the ACCEPT of {@code count} tasks to the last one's TASK_FINISHED. */
    static double throughAgent(int count, String isolation) throws Exception {
        String resources = "cpus:" + (count / 100 + 1) + ";mem:" + (count * 32 + 1024) + ";disk:1024;ports:[31000-31099]";
        try (InProcessCluster cluster = InProcessCluster.builder().agentResources(resources)
                // Mesos's timings: the test kit's short ones tear the framework down on a busy machine.
                .masterConfig(master -> master.withHeartbeatInterval(Duration.ofSeconds(15))
                        .withAgentTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(75)))
                // Mesos's status update retry (the test kit's 200 ms floods a loaded machine with duplicates).
                .agentConfig(agent -> agent.isolation(isolation).updateRetry(Duration.ofSeconds(1), Duration.ofSeconds(10)))
                .start()) {
            Launcher launcher = new Launcher(count);
            SchedulerDriver driver = SchedulerDriver.builder().master(cluster.masterUrl().toString())
                    .frameworkInfo(FrameworkInfo.newBuilder().setUser("root").setName("launch-bench")
                            .setFailoverTimeout(3600).build())
                    .scheduler(launcher).build();
            try {
                driver.start();
                if (!launcher.done.await(5, TimeUnit.MINUTES)) {
                    throw new IllegalStateException("only " + launcher.finished.get() + " of " + count
                            + " tasks finished in 5 minutes; failed: " + launcher.failed.get() + "; offered: "
                            + launcher.launched + "; " + launcher.firstFailure);
                }
            } finally {
                driver.close();
            }
            if (launcher.failed.get() > 0) {
                throw new IllegalStateException(launcher.failed.get() + " tasks did not finish: " + launcher.firstFailure);
            }
            System.out.printf("  after the ACCEPT: first TASK_FINISHED %.2f s, all TASK_RUNNING %.2f s,"
                            + " last TASK_FINISHED %.2f s%n", launcher.since(launcher.firstFinishedNanos),
                    launcher.since(launcher.allRunningNanos), launcher.since(launcher.lastFinishedNanos.get()));
            return launcher.since(launcher.lastFinishedNanos.get());
        }
    }

    /** Accepts the first offer with every task, then counts terminal updates. */
    private static final class Launcher implements Scheduler {
        private final int count;
        private final CountDownLatch done = new CountDownLatch(1);
        private final AtomicInteger finished = new AtomicInteger();
        private final AtomicInteger failed = new AtomicInteger();
        private final AtomicInteger running = new AtomicInteger();
        private volatile long firstFinishedNanos;
        private volatile long allRunningNanos;
        private final AtomicLong lastFinishedNanos = new AtomicLong();
        private volatile long acceptedNanos;
        private volatile boolean launched;
        private volatile String firstFailure;

        Launcher(int count) {
            this.count = count;
        }

        double since(long nanos) {
            return nanos == 0 ? Double.NaN : (nanos - acceptedNanos) / 1e9;
        }

        @Override
        public void offers(SchedulerCalls driver, List<Offer> offers) {
            if (launched) {
                driver.decline(offers.stream().map(Offer::getId).toList(), null);
                return;
            }
            launched = true;
            Offer offer = offers.getFirst();
            List<TaskInfo> tasks = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                tasks.add(TaskInfo.newBuilder().setName("true-" + i).setTaskId(TaskID.newBuilder().setValue("true-" + i))
                        .setAgentId(offer.getAgentId())
                        .setCommand(CommandInfo.newBuilder().setShell(false).setValue("/bin/true"))
                        .addResources(scalar("cpus", 0.001)).addResources(scalar("mem", 32)).build());
            }
            Offer.Operation launch = Offer.Operation.newBuilder().setType(Offer.Operation.Type.LAUNCH)
                    .setLaunch(Offer.Operation.Launch.newBuilder().addAllTaskInfos(tasks)).build();
            acceptedNanos = System.nanoTime();
            CompletableFuture<Void> accepted = driver.accept(List.of(offer.getId()), List.of(launch), null);
            accepted.exceptionally(e -> {
                firstFailure = "ACCEPT failed: " + e;
                failed.set(count);
                done.countDown();
                return null;
            });
        }

        @Override
        public void update(SchedulerCalls driver, TaskStatus status) {
            TaskState state = status.getState();
            if (state == TaskState.TASK_RUNNING && running.incrementAndGet() == count) {
                allRunningNanos = System.nanoTime();
            }
            if (state == TaskState.TASK_FINISHED) {
                lastFinishedNanos.set(System.nanoTime());
                if (finished.incrementAndGet() == 1) {
                    firstFinishedNanos = System.nanoTime();
                }
            } else if (state != TaskState.TASK_STARTING && state != TaskState.TASK_RUNNING
                    && state != TaskState.TASK_STAGING) {
                if (failed.getAndIncrement() == 0) {
                    firstFailure = status.getTaskId().getValue() + " " + state + ": " + status.getMessage();
                }
            }
            if (finished.get() + failed.get() == count) {
                done.countDown();
            }
        }

        @Override
        public void error(SchedulerCalls driver, String message) {
            firstFailure = "master: " + message;
            failed.set(count);
            done.countDown();
        }

        private static Resource scalar(String name, double value) {
            return Resource.newBuilder().setName(name).setType(Value.Type.SCALAR)
                    .setScalar(Value.Scalar.newBuilder().setValue(value)).build();
        }
    }
}
