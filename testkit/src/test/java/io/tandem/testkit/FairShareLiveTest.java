package io.tandem.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tandem.agent.Agent;
import io.tandem.api.MediaType;
import io.tandem.sdk.OfferMatcher;
import io.tandem.sdk.Placement;
import io.tandem.sdk.ResourceNeeds;
import io.tandem.sdk.Scheduler;
import io.tandem.sdk.SchedulerCalls;
import io.tandem.sdk.SchedulerDriver;
import io.tandem.sdk.TaskShape;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.Filters;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.MasterInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.Protos.WeightInfo;
import org.apache.mesos.v1.master.Protos.Call;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The design article's two worked examples on a live cluster: a real master, real agents, frameworks
 * that declare their demand with the SDK and launch {@code sleep 600} on whatever they are offered.
 *
 * <p>The frameworks subscribe (with offers suppressed until their declaration is in) before the agents
 * join, so every framework's demand is known when the resources appear, in whichever order they
 * subscribed; a framework alone on a cluster would rightly get all it wants.
 */
class FairShareLiveTest {
    private static final Logger log = LoggerFactory.getLogger(FairShareLiveTest.class);
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    /** How long a reached split must hold: long enough for several allocation runs (every 100 ms). */
    private static final Duration STEADY = Duration.ofSeconds(1);
    /** Every task: writes its pid for the cleanup, then sleeps (cheap, however many run). */
    private static final String SLEEP = "echo $$ > \"$MESOS_SANDBOX/pid\"; exec sleep 600";

    @TempDir
    Path dir;
    private final List<SchedulerDriver> drivers = new ArrayList<>();
    private final List<AutoCloseable> agents = new ArrayList<>();
    private InProcessCluster cluster;

    /**
     * The frameworks leave first (for their failover timeout, so the master kills nothing), so that
     * nothing launches while the agents stop and kill their tasks; then the master stops. A launch that
     * was already on its way can still reach a stopping agent, so every task's process that outlived
     * its agent is killed by the pid it wrote.
     */
    @AfterEach
    void stopEverything() throws Exception {
        drivers.forEach(driver -> driver.stop(true));
        for (AutoCloseable closeable : agents) {
            closeable.close();
        }
        if (cluster != null) {
            cluster.close();
        }
        killLeftoverTasks();
    }

    private void killLeftoverTasks() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.filter(f -> f.getFileName().toString().equals("pid") && f.toString().contains("/sandboxes/"))
                    .map(FairShareLiveTest::readPid)
                    .filter(pid -> pid > 0)
                    .flatMap(pid -> ProcessHandle.of(pid).stream())
                    .filter(task -> task.info().command().map(c -> c.endsWith("/sleep")).orElse(false))
                    .forEach(task -> {
                        log.warn("task process {} outlived its agent; killing it", task.pid());
                        task.destroyForcibly();
                    });
        }
    }

    private static long readPid(Path file) {
        try {
            return Long.parseLong(Files.readString(file).strip());
        } catch (IOException | NumberFormatException e) {
            return -1;   // written half-way as the task was killed: no process to kill
        }
    }

    @Test
    void drfRunsThreeMemoryHeavyAndTwoCpuHeavyTasksWhenTheMemoryHeavyFrameworkSubscribesFirst() {
        startMaster("drf");
        DemandingFramework a = framework("a", "*", ResourceNeeds.of(2, 8192), 10);
        DemandingFramework b = framework("b", "*", ResourceNeeds.of(6, 2048), 10);

        startAgent("cpus:18;mem:36864");

        awaitSteady(() -> List.of(a.running(), b.running()), List.of(3, 2), List.of(a, b));
    }

    @Test
    void drfRunsThreeMemoryHeavyAndTwoCpuHeavyTasksWhenTheCpuHeavyFrameworkSubscribesFirst() {
        startMaster("drf");
        DemandingFramework b = framework("b", "*", ResourceNeeds.of(6, 2048), 10);
        DemandingFramework a = framework("a", "*", ResourceNeeds.of(2, 8192), 10);

        startAgent("cpus:18;mem:36864");

        awaitSteady(() -> List.of(a.running(), b.running()), List.of(3, 2), List.of(a, b));
    }

    @Test
    void maxMinGivesEachItsDemandOrAnEqualShareOfWhatIsLeft() {
        startMaster("mmf");
        ResourceNeeds halfCpu = ResourceNeeds.of(0.5, 16);
        List<DemandingFramework> wanting = List.of(
                framework("a", "*", halfCpu, 70), framework("b", "*", halfCpu, 20),
                framework("c", "*", halfCpu, 50), framework("d", "*", halfCpu, 90));

        startAgent("cpus:50;mem:4096");
        startAgent("cpus:50;mem:4096");

        // cpus: A wants 35, B 10, C 25, D 45 of 100; max-min gives 32.5, 10, 25, 32.5.
        awaitSteady(() -> wanting.stream().map(f -> f.running() * 0.5).toList(), List.of(32.5, 10.0, 25.0, 32.5),
                wanting);
    }

    @Test
    void drfWeightsDivideTheDominantShareSoARoleOfWeightTwoRunsTwiceAsMuch() throws Exception {
        startMaster("drf");
        updateWeight("eng", 2.0);
        DemandingFramework ops = framework("ops", "ops", ResourceNeeds.of(1, 1024), 12);
        DemandingFramework eng = framework("eng", "eng", ResourceNeeds.of(1, 1024), 12);

        startAgent("cpus:12;mem:12288");

        // share(role) = (tasks / 12) / weight is equal for both: eng / 2 = ops / 1 with eng + ops = 12.
        awaitSteady(() -> List.of(eng.running(), ops.running()), List.of(8, 4), List.of(eng, ops));
    }

    @Test
    void aFrameworkDeclaringTasksWithPortsIsOfferedThatManyFreePortsPerTaskAndNoMoreThanTheAgentHas() {
        startMaster("drf");
        DemandingFramework web = framework("web", "*", ResourceNeeds.of(1, 256).withPorts(2), 4);

        startAgent("cpus:8;mem:8192;ports:[31000-31004]");

        // Four tasks want eight ports; the agent has five: two tasks, two distinct ports each.
        awaitSteady(() -> List.of(web.running()), List.of(2), List.of(web));
        assertThat(web.offeredPorts).as("ports per offer").isNotEmpty().allSatisfy(n -> assertThat(n).isIn(2L, 4L));
        assertThat(web.taskPorts).hasSize(2).allSatisfy(ports -> assertThat(ports).hasSize(2));
        assertThat(web.taskPorts.stream().flatMap(List::stream).distinct().toList()).hasSize(4)
                .allSatisfy(port -> assertThat(port).isBetween(31000L, 31004L));
    }

    // ---- the cluster ----------------------------------------------------------------------------

    private void startMaster(String policy) {
        cluster = InProcessCluster.builder().agents(0).workDir(dir.resolve("cluster"))
                .masterConfig(c -> c.withAllocator(policy)).start();
    }

    /** Starts an agent without isolators (tasks here only sleep) and waits until it registered. */
    private void startAgent(String resources) {
        int before = cluster.operator().agents().getAgentsCount();
        Path workDir = dir.resolve("agent-" + before);
        Agent agent = Agent.start(InProcessCluster.defaultAgentConfig(cluster.masterUrl(), workDir)
                .resources(resources).isolation("posix").build(), InstantSource.system());
        agents.add(agent);
        await("agent " + before + " registered").atMost(PATIENCE)
                .until(() -> cluster.operator().agents().getAgentsCount() == before + 1);
    }

    /** The operator's UPDATE_WEIGHTS call, answered 200 with an empty body when taken. */
    private void updateWeight(String role, double weight) throws Exception {
        Call call = Call.newBuilder().setType(Call.Type.UPDATE_WEIGHTS).setUpdateWeights(Call.UpdateWeights.newBuilder()
                .addWeightInfos(WeightInfo.newBuilder().setRole(role).setWeight(weight))).build();
        HttpRequest request = HttpRequest.newBuilder(cluster.masterUrl().resolve("/api/v1"))
                .header("Content-Type", MediaType.PROTOBUF.mime())
                .POST(HttpRequest.BodyPublishers.ofByteArray(MediaType.PROTOBUF.encode(call))).build();
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as("UPDATE_WEIGHTS answered %s", response.body()).isEqualTo(200);
        }
    }

    private DemandingFramework framework(String name, String role, ResourceNeeds needs, int wanted) {
        DemandingFramework framework = new DemandingFramework(name, needs, wanted);
        drivers.add(framework.start(cluster.masterUrl(), role));
        await(name + " declared its demand").atMost(PATIENCE)
                .untilAsserted(() -> assertThat(framework.declared()).as("%s", framework).isTrue());
        return framework;
    }

    /**
     * Waits for {@code counts} (one per framework of {@code who}) to reach {@code expected}, then checks
     * that they stay there for {@link #STEADY}.
     */
    private static <T> void awaitSteady(Supplier<List<T>> counts, List<T> expected, List<DemandingFramework> who) {
        await("running " + expected).atMost(PATIENCE).untilAsserted(
                () -> assertThat(counts.get()).as("running per framework; %s", who).isEqualTo(expected));
        await("running " + expected + " for " + STEADY).during(STEADY).atMost(STEADY.multipliedBy(3))
                .untilAsserted(() -> assertThat(counts.get()).as("running per framework; %s", who).isEqualTo(expected));
    }

    /**
     * A framework that keeps wanting {@code wanted} tasks of one shape: with offers suppressed from
     * subscription, it declares them as demand, then revives; it launches as many as fit on every offer.
     * Callbacks run on its driver's callback thread; tests read the concurrent counters.
     */
    static final class DemandingFramework implements Scheduler {
        private final String name;
        private final ResourceNeeds needs;
        private final int wanted;
        private final Set<String> running = ConcurrentHashMap.newKeySet();
        private final List<String> ended = new CopyOnWriteArrayList<>();
        /** Per offer, how many ports it carried; per launched task, its ports. */
        final List<Long> offeredPorts = new CopyOnWriteArrayList<>();
        final List<List<Long>> taskPorts = new CopyOnWriteArrayList<>();
        private volatile boolean declared;
        private int launched;

        DemandingFramework(String name, ResourceNeeds needs, int wanted) {
            this.name = name;
            this.needs = needs;
            this.wanted = wanted;
        }

        SchedulerDriver start(URI master, String role) {
            // With a failover timeout, a stream that goes quiet on a loaded machine costs a resubscription,
            // not the framework and its tasks.
            FrameworkInfo info = RunningFramework.info(name).toBuilder().addRoles(role).setFailoverTimeout(60)
                    .addCapabilities(FrameworkInfo.Capability.newBuilder()
                            .setType(FrameworkInfo.Capability.Type.MULTI_ROLE)).build();
            SchedulerDriver driver = SchedulerDriver.builder().master(master.toString()).frameworkInfo(info)
                    .suppressedRoles(Set.of(role)).scheduler(this)
                    .backoff(Duration.ofMillis(100), Duration.ofSeconds(1)).callTimeout(PATIENCE).build();
            driver.start();
            return driver;
        }

        int running() {
            return running.size();
        }

        boolean declared() {
            return declared;
        }

        @Override
        public void subscribed(SchedulerCalls driver, FrameworkID frameworkId, MasterInfo masterInfo) {
            driver.declareDemand(List.of(new TaskShape(needs, wanted - launched)))
                    .thenCompose(ok -> driver.revive(Set.of()))
                    .whenComplete((ok, failure) -> {
                        if (failure != null) {
                            ended.add("demand not declared: " + failure.getMessage());
                        } else {
                            declared = true;
                        }
                    });
        }

        @Override
        public void offers(SchedulerCalls driver, List<Offer> offers) {
            for (Offer offer : offers) {
                offeredPorts.add(offer.getResourcesList().stream().filter(r -> r.getName().equals("ports"))
                        .flatMap(r -> r.getRanges().getRangeList().stream())
                        .mapToLong(r -> r.getEnd() - r.getBegin() + 1).sum());
                List<TaskInfo> tasks = tasksFor(offer);
                if (tasks.isEmpty()) {
                    driver.decline(List.of(offer.getId()), Filters.newBuilder().setRefuseSeconds(1).build());
                } else {
                    driver.launch(offer.getId(), tasks);
                }
            }
        }

        private List<TaskInfo> tasksFor(Offer offer) {
            OfferMatcher matcher = OfferMatcher.of(offer);
            List<TaskInfo> tasks = new ArrayList<>();
            while (launched < wanted) {
                Placement placement = matcher.take(needs);
                if (!placement.fits()) {
                    break;
                }
                String id = name + "-" + launched++;
                if (needs.ports() > 0) {
                    taskPorts.add(placement.ports());
                }
                tasks.add(TaskInfo.newBuilder().setName(id).setTaskId(TaskID.newBuilder().setValue(id))
                        .setAgentId(offer.getAgentId()).addAllResources(placement.resources())
                        .setCommand(CommandInfo.newBuilder().setShell(true).setValue(SLEEP)).build());
            }
            return tasks;
        }

        @Override
        public void update(SchedulerCalls driver, TaskStatus status) {
            String id = status.getTaskId().getValue();
            if (status.getState() == TaskState.TASK_RUNNING) {
                running.add(id);
            } else if (status.getState() != TaskState.TASK_STAGING && status.getState() != TaskState.TASK_STARTING) {
                running.remove(id);
                ended.add(id + " " + status.getState() + " " + status.getMessage());
            }
        }

        @Override
        public String toString() {
            return name + ": " + running.size() + " running, ended " + ended;
        }
    }
}
