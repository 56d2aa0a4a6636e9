package io.tandem.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tandem.api.ZooKeeperUrl;
import io.tandem.sdk.SchedulerDriver;
import io.tandem.sdk.ZooKeeperMasterDetector;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chaos: three masters electing a leader through a real ZooKeeper server, three agents, each its own
 * {@code bin/tandem} process on loopback; a framework (the SDK, in this JVM, finding the leader
 * through ZooKeeper) runs 1,000 short tasks while the leading master is killed with SIGKILL five
 * times (each killed master is started again as a standby). Every task must end exactly once, be
 * seen ending by the framework, and run at most once.
 */
class MasterFailoverIT {
    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration SESSION = Duration.ofSeconds(3);
    private static final int TASKS = 1_000;
    private static final int KILLS = 5;

    @TempDir
    Path dir;

    private TestingServer zookeeper;
    private ZooKeeperUrl zk;
    private final List<TandemProcess> masters = new ArrayList<>();
    private final List<TandemProcess> agents = new ArrayList<>();
    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void stopAll() throws Exception {
        for (AutoCloseable c : closing.reversed()) {
            c.close();
        }
        for (TandemProcess agent : agents) {
            agent.close();
        }
        for (TandemProcess master : masters) {
            master.close();
        }
        if (zookeeper != null) {
            zookeeper.close();
        }
    }

    private TandemProcess startMaster(int i) throws Exception {
        TandemProcess master = TandemProcess.start("master", "--port", "0", "--bind-address", "127.0.0.1",
                "--work-dir", dir.resolve("master-" + i).toString(), "--zk", zk.toString(), "--quorum", "2",
                "--zk-session-timeout", SESSION.toSeconds() + "s", "--allocation-interval", "100ms");
        masters.add(master);
        master.awaitStdout("listening on (http://\\S+)", START);
        return master;
    }

    private static URI urlOf(TandemProcess master) {
        return URI.create(master.awaitStdout("listening on (http://\\S+)", START).replaceAll("/$", ""));
    }

    @Test
    void killingTheLeaderFiveTimesLosesNoTaskAndRunsNoneTwice() throws Exception {
        zookeeper = new TestingServer(new InstanceSpec(null, -1, -1, -1, true, -1, 500, -1), true);
        zk = ZooKeeperUrl.parse("zk://" + zookeeper.getConnectString() + "/tandem");
        for (int i = 0; i < 3; i++) {
            startMaster(i);
        }
        for (int i = 0; i < 3; i++) {
            TandemProcess agent = TandemProcess.start("agent", "--master", zk.toString(), "--port", "0",
                    "--bind-address", "127.0.0.1", "--work-dir", dir.resolve("agent-" + i).toString(),
                    "--resources", "cpus:4;mem:4096;disk:4096;ports:[" + (32000 + i * 100) + "-" + (32099 + i * 100) + "]",
                    "--isolation", "posix");
            agents.add(agent);
            agent.awaitStdout("(listening on .*)", START);
        }
        ZooKeeperMasterDetector detector = ZooKeeperMasterDetector.connect(zk);
        closing.add(detector);
        Path launches = Files.createFile(dir.resolve("launches.log"));
        ChaosScheduler scheduler = new ChaosScheduler(TASKS, launches);
        SchedulerDriver driver = SchedulerDriver.builder().master(zk.toString())
                .frameworkInfo(FrameworkInfo.newBuilder().setUser(System.getProperty("user.name", "nobody"))
                        .setName("chaos").setFailoverTimeout(3600).build())
                .scheduler(scheduler).backoff(Duration.ofMillis(100), Duration.ofSeconds(1))
                .callTimeout(Duration.ofSeconds(10)).build();
        closing.add(driver);
        driver.start();

        for (int kill = 1; kill <= KILLS; kill++) {
            long target = (long) TASKS * kill / (KILLS + 2);
            awaitDone(scheduler, driver, target);
            TandemProcess leader = leader(detector);
            Runtime.getRuntime().exec(new String[] {"kill", "-9", Long.toString(leader.pid())}).waitFor();
            leader.awaitExit(START);
            masters.remove(leader);
            int subscribed = scheduler.subscriptions();
            await().atMost(START).until(() -> scheduler.subscriptions() > subscribed);
            startMaster(masters.size() + kill * 10);
        }
        awaitDone(scheduler, driver, TASKS);

        Map<String, Set<TaskState>> ends = scheduler.terminalStates();
        assertThat(ends).hasSize(TASKS);
        assertThat(ends).allSatisfy((task, states) -> assertThat(states).as(task).hasSize(1));
        Map<String, Long> runs = Files.readAllLines(launches).stream()
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        assertThat(runs).allSatisfy((task, times) -> assertThat(times).as(task + " ran").isEqualTo(1L));
        long finished = ends.values().stream().filter(s -> s.contains(TaskState.TASK_FINISHED)).count();
        assertThat(runs.keySet()).as("every finished task ran").hasSizeGreaterThanOrEqualTo((int) finished);
        System.out.printf("chaos: %d tasks, %d finished, %d ended otherwise, %d ran, %d subscriptions%n", TASKS,
                finished, TASKS - finished, runs.size(), scheduler.subscriptions());
    }

    /**
     * Waits until {@code count} tasks ended, reconciling every few seconds as a framework should: after a
     * failover the new leader says nothing about tasks on agents that have not come back yet.
     */
    private static void awaitDone(ChaosScheduler scheduler, SchedulerDriver driver, long count) {
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(3)).until(() -> {
            if (scheduler.done() >= count) {
                return true;
            }
            scheduler.reconcile(driver);
            return false;
        });
    }

    private TandemProcess leader(ZooKeeperMasterDetector detector) {
        URI[] found = new URI[1];
        await().atMost(START).until(() -> {
            Optional<URI> leader = detector.leader();
            leader.ifPresent(url -> found[0] = url);
            return leader.isPresent() && masters.stream().anyMatch(m -> urlOf(m).equals(found[0]));
        });
        return masters.stream().filter(m -> urlOf(m).equals(found[0])).findFirst().orElseThrow();
    }
}
