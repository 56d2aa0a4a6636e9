package io.tandem.bench;

import io.tandem.testkit.InProcessCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

/**
 * Launch throughput of one agent: an in-process master and one agent with the given isolation; one
 * framework accepts its first offer with {@code tasks} command tasks of {@code /bin/true} in one
 * ACCEPT, and the time from that ACCEPT to the last TASK_FINISHED is measured. In the same run, the
 * floor: a bare loop that forks and execs the same number of {@code /bin/true} through
 * {@link ProcessBuilder}, one after another and all at once.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar io.tandem.bench.LaunchBenchmark [tasks] [isolation] [rounds] [warm-up rounds]
 * </pre>
 *
 * The warm-up rounds (the same launch, reported but not counted) let the JIT compile what a
 * long-running agent has compiled; the first of them is the cold figure. Each round has a fresh
 * master and agent in the same JVM and a work directory of its own below one under
 * {@code java.io.tmpdir}, all removed at the end, not round by round: ext4 passes over inodes freed
 * in the last 30 seconds when it allocates one, so a round's thousand sandboxes made right after
 * the previous round's thousand were deleted cost nearly a millisecond of kernel time each. Not JMH: it needs a real agent, real processes and real
 * cgroups, and one round takes seconds. Run as root on a cgroups host to get the isolation asked
 * for; the agent refuses to start otherwise.
 */
public final class LaunchBenchmark {
    private static final String ISOLATION = "cgroups/cpu,cgroups/mem,cgroups/pids,namespaces/pid";

    private LaunchBenchmark() {}

    public static void main(String[] args) throws Exception {
        int tasks = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        String isolation = args.length > 1 ? args[1] : ISOLATION;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        int warmups = args.length > 3 ? Integer.parseInt(args[3]) : 6;
        if (tasks < 1 || rounds < 1 || warmups < 0) {
            throw new IllegalArgumentException("tasks and rounds must be at least 1 and warm-up rounds at least 0, got "
                    + tasks + ", " + rounds + " and " + warmups);
        }
        System.out.printf("%d tasks of /bin/true on one agent, isolation %s, %d cores, %d warm-up rounds, work dir under %s%n",
                tasks, isolation, Runtime.getRuntime().availableProcessors(), warmups, System.getProperty("java.io.tmpdir"));
        Path root = Files.createTempDirectory("launch-bench");
        try {
            run(root, tasks, isolation, rounds, warmups);
        } finally {
            try (Stream<Path> paths = Files.walk(root)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            }
        }
    }

    private static void run(Path root, int tasks, String isolation, int rounds, int warmups) throws Exception {
        for (int round = 1; round <= warmups; round++) {
            double agent = throughAgent(root.resolve("warm-up-" + round), tasks, isolation);
            System.out.printf("warm-up %d: agent %.2f s (%.0f tasks/s)%n", round, agent, tasks / agent);
        }
        double[] measured = new double[rounds];
        for (int round = 1; round <= rounds; round++) {
            double sequential = bareSequential(tasks);
            double concurrent = bareConcurrent(tasks);
            double agent = throughAgent(root.resolve("round-" + round), tasks, isolation);
            measured[round - 1] = agent;
            System.out.printf("round %d: agent %.2f s (%.0f tasks/s); bare fork+exec sequential %.2f s,"
                            + " all at once %.2f s; agent/bare-sequential %.1fx%n",
                    round, agent, tasks / agent, sequential, concurrent, agent / sequential);
        }
        java.util.Arrays.sort(measured);
        double median = (measured[(rounds - 1) / 2] + measured[rounds / 2]) / 2;
        System.out.printf("measured rounds: best %.2f s, median %.2f s, worst %.2f s%n",
                measured[0], median, measured[rounds - 1]);
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
    static double throughAgent(Path workDir, int count, String isolation) throws Exception {
        String resources = "cpus:" + (count / 100 + 1) + ";mem:" + (count * 32 + 1024) + ";disk:1024;ports:[31000-31099]";
        try (InProcessCluster cluster = InProcessCluster.builder().workDir(workDir).agentResources(resources)
                // Mesos's timings: the test kit's short ones tear the framework down on a busy machine.
                .masterConfig(master -> master.withHeartbeatInterval(Duration.ofSeconds(15))
                        .withAgentTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(75)))
                // Mesos's status update retry, 10 s doubling to 10 min: the test kit's 200 ms (and the
                // agent's default 1 s) resend updates whose acknowledgement is merely queued behind
                // a thousand others, and the duplicates cost the machine more acknowledgements.
                .agentConfig(agent -> agent.isolation(isolation).updateRetry(Duration.ofSeconds(10), Duration.ofMinutes(10)))
                .start();
             LaunchingFramework framework = new LaunchingFramework(cluster.masterUrl(), count)) {
            if (!framework.run(Duration.ofMinutes(5))) {
                throw new IllegalStateException("only " + framework.finished() + " of " + count
                        + " tasks finished in 5 minutes; " + framework.firstFailure());
            }
            if (framework.failed() > 0) {
                throw new IllegalStateException(framework.failed() + " tasks did not finish: " + framework.firstFailure());
            }
            double[] t = framework.timings();
            System.out.printf("  after the ACCEPT: first TASK_FINISHED %.2f s, all TASK_RUNNING %.2f s,"
                    + " last TASK_FINISHED %.2f s%n", t[0], t[1], t[2]);
            return t[2];
        }
    }
}
