package io.tandem.frameworks.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tandem.testkit.InProcessCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.test.TestingServer;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.TaskID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service scheduler on a real in-process cluster: instances are real {@code python3 -m http.server}
 * processes, health-checked over HTTP on the port the scheduler took from the offer. Each instance
 * writes its pid and an {@code ok} file (its health check path) into its sandbox.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServiceSchedulerLiveTest {
    private static final Duration PATIENCE = Duration.ofSeconds(90);
    private static final String HEALTHY_SERVER = "echo $$ > pid; touch ok; exec python3 -m http.server $PORT0";
    private InProcessCluster cluster;
    private final List<ServiceScheduler> schedulers = new ArrayList<>();
    private final Set<Long> pids = new HashSet<>();

    /** Ports below the kernel's ephemeral range (32768+), where no client socket of another test lands. */
    @BeforeAll
    void startCluster() {
        cluster = InProcessCluster.builder().agents(1)
                .agentResources("cpus:8;mem:4096;disk:1024;ports:[24100-24299]").start();
    }

    @AfterEach
    void stopSchedulersAndInstances() {
        schedulers.forEach(ServiceScheduler::teardown);
        schedulers.clear();
        pids.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        pids.clear();
    }

    @AfterAll
    void stopCluster() {
        cluster.close();
    }

    private ServiceScheduler start(Path stateDir) {
        return start(config(stateDir));
    }

    private ServiceConfig config(Path stateDir) {
        return ServiceConfig.defaults(cluster.masterUrl().toString(), stateDir)
                .withBind("127.0.0.1", 0).withFailoverTimeout(Duration.ofMinutes(5));
    }

    private ServiceScheduler start(ServiceConfig config) {
        ServiceScheduler scheduler = ServiceScheduler.start(config);
        schedulers.add(scheduler);
        return scheduler;
    }

    private static String app(String name, int instances, String command, String extra) {
        return """
                name: %s
                instances: %d
                command: %s
                resources: {cpus: 0.1, mem: 64, ports: 1}
                health_check: {type: http, path: /ok, grace_period: 30s, interval: 300ms, timeout: 2s, max_consecutive_failures: 3}
                restart_backoff: {initial: 200ms, max: 1s}
                kill_grace_period: 1s
                %s
                """.formatted(name, instances, command, extra);
    }

    private static AppStatus awaitHealthy(ServiceClient client, String name, int count) {
        await(name + " has " + count + " healthy instances").atMost(PATIENCE).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    AppStatus s = client.status(name);
                    return s.healthy() == count && s.instances().size() == count && s.state().equals("running");
                });
        return client.status(name);
    }

    private Path sandbox(ServiceScheduler scheduler, String taskId) {
        return cluster.sandbox(cluster.agentId(0), FrameworkID.newBuilder().setValue(scheduler.frameworkId().orElseThrow()).build(),
                TaskID.newBuilder().setValue(taskId).build());
    }

    /** The pid the instance wrote; remembered so that cleanup kills it whatever happens. */
    private long pidOf(ServiceScheduler scheduler, String taskId) throws Exception {
        Path file = sandbox(scheduler, taskId).resolve("pid");
        await("pid of " + taskId).atMost(PATIENCE).until(() -> Files.exists(file) && !Files.readString(file).isBlank());
        long pid = Long.parseLong(Files.readString(file).strip());
        pids.add(pid);
        return pid;
    }

    private List<String> taskIds(AppStatus status) {
        return status.instances().stream().map(AppStatus.InstanceStatus::taskId).sorted().toList();
    }

    @Test
    void instanceKilledFromOutsideIsReplaced(@TempDir Path state) throws Exception {
        ServiceScheduler scheduler = start(state);
        ServiceClient client = new ServiceClient(scheduler.url());
        client.deploy(app("killed", 2, HEALTHY_SERVER, ""), "killed.yaml");
        List<String> before = taskIds(awaitHealthy(client, "killed", 2));
        for (String id : before) {
            pidOf(scheduler, id);
        }

        ProcessHandle.of(pidOf(scheduler, before.getFirst())).orElseThrow().destroyForcibly();

        await("the killed instance replaced").atMost(PATIENCE).pollInterval(Duration.ofMillis(100)).until(() -> {
            AppStatus s = client.status("killed");
            return !taskIds(s).contains(before.getFirst()) && s.healthy() == 2;
        });
        List<String> after = taskIds(client.status("killed"));
        assertThat(after).contains(before.get(1)).hasSize(2);
        after.forEach(id -> assertThat(id).startsWith("killed.v1."));
        for (String id : after) {
            pidOf(scheduler, id);
        }
    }

    @Test
    void instanceThatTurnsUnhealthyIsReplaced(@TempDir Path state) throws Exception {
        ServiceScheduler scheduler = start(state);
        ServiceClient client = new ServiceClient(scheduler.url());
        client.deploy(app("sick", 1, HEALTHY_SERVER, ""), "sick.yaml");
        String first = taskIds(awaitHealthy(client, "sick", 1)).getFirst();
        long firstPid = pidOf(scheduler, first);

        Files.delete(sandbox(scheduler, first).resolve("ok"));   // GET /ok now answers 404

        await("the unhealthy instance replaced").atMost(PATIENCE).pollInterval(Duration.ofMillis(100)).until(() -> {
            AppStatus s = client.status("sick");
            return !taskIds(s).contains(first) && s.healthy() == 1;
        });
        pidOf(scheduler, taskIds(client.status("sick")).getFirst());
        await("the unhealthy instance's process ended").atMost(PATIENCE)
                .until(() -> ProcessHandle.of(firstPid).map(p -> !p.isAlive()).orElse(true));
    }

    @Test
    void instanceWhoseCommandCheckTheAgentRunsStartsFailingIsReplaced(@TempDir Path state) throws Exception {
        ServiceScheduler scheduler = start(state);
        ServiceClient client = new ServiceClient(scheduler.url());
        client.deploy("""
                name: checked
                instances: 1
                command: echo $$ > pid; touch ready; exec sleep 600
                resources: {cpus: 0.1, mem: 64}
                health_check: {type: command, command: test -f ready, grace_period: 30s, interval: 300ms, timeout: 2s, max_consecutive_failures: 2}
                restart_backoff: {initial: 200ms, max: 1s}
                kill_grace_period: 1s
                """, "checked.yaml");
        String first = taskIds(awaitHealthy(client, "checked", 1)).getFirst();
        long firstPid = pidOf(scheduler, first);

        Files.delete(sandbox(scheduler, first).resolve("ready"));   // the agent's check now fails

        await("the instance failing its command check replaced").atMost(PATIENCE).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    AppStatus s = client.status("checked");
                    return !taskIds(s).contains(first) && s.healthy() == 1;
                });
        pidOf(scheduler, taskIds(client.status("checked")).getFirst());
        await("the failing instance's process ended").atMost(PATIENCE)
                .until(() -> ProcessHandle.of(firstPid).map(p -> !p.isAlive()).orElse(true));
    }

    @Test
    void rollingUpdateReplacesEveryInstanceWithoutDroppingBelowTheDesiredHealthyCount(@TempDir Path state) throws Exception {
        ServiceScheduler scheduler = start(state);
        ServiceClient client = new ServiceClient(scheduler.url());
        client.deploy(app("roll", 3, HEALTHY_SERVER, ""), "roll.yaml");
        List<String> v1 = taskIds(awaitHealthy(client, "roll", 3));

        AppStatus deploying = client.deploy(app("roll", 3, HEALTHY_SERVER, "env: {RELEASE: two}"), "roll.yaml");

        assertThat(deploying.version()).isEqualTo(2);
        assertThat(deploying.state()).isEqualTo("rolling-update");
        AtomicInteger fewestHealthy = new AtomicInteger(Integer.MAX_VALUE);
        await("every instance at v2").atMost(PATIENCE).pollInterval(Duration.ofMillis(50)).until(() -> {
            AppStatus s = client.status("roll");
            fewestHealthy.accumulateAndGet(s.healthy(), Math::min);
            return s.state().equals("running") && s.instances().stream().allMatch(i -> i.version() == 2);
        });
        AppStatus done = client.status("roll");
        assertThat(fewestHealthy.get()).isGreaterThanOrEqualTo(3);
        assertThat(done.healthy()).isEqualTo(3);
        assertThat(taskIds(done)).doesNotContainAnyElementsOf(v1);
        assertThat(done.message()).isEqualTo("deployed v2");
        for (String id : taskIds(done)) {
            assertThat(Files.readString(sandbox(scheduler, id).resolve("pid"))).isNotBlank();
            pidOf(scheduler, id);
        }
    }

    @Test
    void updateWhoseInstancesFailTheirHealthChecksIsRolledBack(@TempDir Path state) throws Exception {
        ServiceScheduler scheduler = start(state);
        ServiceClient client = new ServiceClient(scheduler.url());
        client.deploy(app("bad", 2, HEALTHY_SERVER, ""), "bad.yaml");
        List<String> v1 = taskIds(awaitHealthy(client, "bad", 2));
        String noOkFile = "echo $$ > pid; exec python3 -m http.server $PORT0";
        String badApp = app("bad", 2, noOkFile, "rollback_after: 2").replace("grace_period: 30s", "grace_period: 1s");

        client.deploy(badApp, "bad.yaml");

        await("rolled back to v1").atMost(PATIENCE).pollInterval(Duration.ofMillis(100)).until(() -> {
            AppStatus s = client.status("bad");
            return s.version() == 1 && s.state().equals("running") && s.instances().size() == 2;
        });
        AppStatus after = client.status("bad");
        assertThat(after.message()).startsWith("rolled back v2 to v1");
        assertThat(taskIds(after)).isEqualTo(v1);
        assertThat(after.healthy()).isEqualTo(2);
        for (String id : v1) {
            pidOf(scheduler, id);
        }
    }

    @Test
    void restartedSchedulerAdoptsItsRunningInstances(@TempDir Path state) throws Exception {
        ServiceScheduler first = start(state);
        ServiceClient client = new ServiceClient(first.url());
        client.deploy(app("keep", 2, HEALTHY_SERVER, ""), "keep.yaml");
        List<String> before = taskIds(awaitHealthy(client, "keep", 2));
        String frameworkId = first.frameworkId().orElseThrow();
        for (String id : before) {
            pidOf(first, id);
        }

        first.close();   // failover: the tasks keep running
        schedulers.remove(first);
        ServiceScheduler second = start(state);
        ServiceClient again = new ServiceClient(second.url());

        AppStatus adopted = awaitHealthy(again, "keep", 2);
        assertThat(second.frameworkId()).contains(frameworkId);
        assertThat(taskIds(adopted)).isEqualTo(before);
    }

    @Test
    void appsOfAFrameworkTheMasterRemovedAreRelaunchedUnderANewOne(@TempDir Path state) throws Exception {
        ServiceScheduler first = start(state);
        ServiceClient client = new ServiceClient(first.url());
        client.deploy(app("phoenix", 1, HEALTHY_SERVER, ""), "phoenix.yaml");
        String before = taskIds(awaitHealthy(client, "phoenix", 1)).getFirst();
        pidOf(first, before);
        String oldFramework = first.frameworkId().orElseThrow();
        byte[] saved = Files.readAllBytes(state.resolve(FileStateStore.FILE));

        first.teardown();   // the master removes the framework and kills its task
        schedulers.remove(first);
        Files.write(state.resolve(FileStateStore.FILE), saved);   // as if the scheduler had been away too long
        ServiceScheduler second = start(state);
        ServiceClient again = new ServiceClient(second.url());

        AppStatus relaunched = awaitHealthy(again, "phoenix", 1);
        assertThat(second.frameworkId()).isPresent().get().isNotEqualTo(oldFramework);
        assertThat(taskIds(relaunched)).doesNotContain(before);
        pidOf(second, taskIds(relaunched).getFirst());
    }

    @Test
    void schedulerRestartedWithItsStateInZooKeeperAdoptsItsInstances(@TempDir Path notUsedWithZooKeeper) throws Exception {
        try (TestingServer zk = new TestingServer()) {
            ServiceConfig config = config(notUsedWithZooKeeper).withZooKeeper("zk://" + zk.getConnectString() + "/tandem/services-test");
            ServiceScheduler first = start(config);
            ServiceClient client = new ServiceClient(first.url());
            client.deploy(app("zk", 1, HEALTHY_SERVER, ""), "zk.yaml");
            List<String> before = taskIds(awaitHealthy(client, "zk", 1));
            pidOf(first, before.getFirst());

            first.close();
            schedulers.remove(first);
            ServiceScheduler second = start(config);

            assertThat(taskIds(awaitHealthy(new ServiceClient(second.url()), "zk", 1))).isEqualTo(before);
            second.teardown();
            schedulers.remove(second);
        }
    }

    @Test
    void constraintNoAgentCanMeetIsRefusedAtDeploy(@TempDir Path state) {
        ServiceScheduler scheduler = start(state);
        ServiceClient client = new ServiceClient(scheduler.url());
        String text = app("nowhere", 1, HEALTHY_SERVER, """
                constraints:
                  - rack:IS:r9""");

        assertThatThrownBy(() -> client.deploy(text, "nowhere.yaml"))
                .hasMessageContaining("nowhere: constraints[0]: no agent can meet rack:IS:r9");
        assertThat(client.statuses()).isEmpty();
    }

    @Test
    void aRefusalByTheMasterIsReported(@TempDir Path state) {
        ServiceScheduler scheduler = start(config(state).withRole("web services"));

        String refusal = scheduler.refusal().orTimeout(PATIENCE.toSeconds(), java.util.concurrent.TimeUnit.SECONDS).join();

        assertThat(refusal).contains("Role 'web services' is invalid");
        assertThat(scheduler.error()).hasValue(refusal);
    }

    @Test
    void badAppFilesAndUnknownAppsAreRefusedWithTheSchedulersWords(@TempDir Path state) {
        ServiceScheduler scheduler = start(state);
        ServiceClient client = new ServiceClient(scheduler.url());

        assertThatThrownBy(() -> client.deploy("name: x\ncommand: y\nresources: {cpus: 1, mem: 1}\nreplica: 2\n", "x.yaml"))
                .isInstanceOf(io.tandem.frameworks.common.SchedulerRefusal.class).hasMessageStartingWith("x.yaml line 4: replica: unknown field");
        assertThatThrownBy(() -> client.scale("ghost", 2)).hasMessage("no app named 'ghost'");
        assertThatThrownBy(() -> client.remove("ghost")).hasMessage("no app named 'ghost'");
        assertThat(client.statuses()).isEmpty();
    }
}
