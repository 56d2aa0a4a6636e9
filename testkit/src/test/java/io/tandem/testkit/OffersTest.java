package io.tandem.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Offers from a real master to real frameworks: who gets what, and when it comes back. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OffersTest {
    private InProcessCluster cluster;
    private FrameworkPool frameworks;

    @BeforeAll
    void startCluster() {
        cluster = InProcessCluster.builder().agents(3).agentResources("cpus:2;mem:1024;disk:1024;ports:[31000-31099]")
                .start();
        frameworks = new FrameworkPool(cluster);
    }

    @AfterEach
    void stopFrameworks() {
        frameworks.closeAll();
    }

    @AfterAll
    void stopCluster() {
        cluster.close();
    }

    private RunningFramework framework(FrameworkInfo info, RecordingScheduler scheduler) {
        return frameworks.start(info, scheduler);
    }

    private static double scalar(Offer offer, String name) {
        return offer.getResourcesList().stream().filter(r -> r.getName().equals(name))
                .mapToDouble(r -> r.getScalar().getValue()).sum();
    }

    private static boolean on(Offer offer, AgentID agent) {
        return offer.getAgentId().equals(agent);
    }

    @Test
    void everyAgentIsOfferedWithAllItsResources() {
        RunningFramework fw = framework(RunningFramework.info("all-agents"), new RecordingScheduler());
        Set<AgentID> agents = IntStream.range(0, 3).mapToObj(cluster::agentId).collect(Collectors.toSet());

        await("offers from all three agents").atMost(RecordingScheduler.PATIENCE).until(() ->
                fw.scheduler().offers().stream().map(Offer::getAgentId).collect(Collectors.toSet()).containsAll(agents));

        for (AgentID agent : agents) {
            Offer first = fw.scheduler().awaitOffer(0, o -> on(o, agent), "on " + agent.getValue()).value();
            assertThat(scalar(first, "cpus")).isEqualTo(2.0);
            assertThat(scalar(first, "mem")).isEqualTo(1024.0);
            assertThat(first.getResourcesList()).extracting(Resource::getName).contains("disk", "ports");
        }
    }

    @Test
    void declinedResourcesStayAwayForTheRefusePeriodWhileAnotherFrameworkGetsThem() {
        Duration refuse = Duration.ofSeconds(4);
        AgentID agent = cluster.agentId(0);
        RunningFramework decliner = framework(RunningFramework.info("decliner"),
                new RecordingScheduler(OfferStrategy.decline(refuse)));
        var declined = decliner.scheduler().awaitOffer(0, o -> on(o, agent), "to the decliner");
        int afterDecline = decliner.scheduler().offerEvents().indexOf(declined) + 1;

        RunningFramework other = framework(RunningFramework.info("other"),
                new RecordingScheduler(OfferStrategy.decline(Duration.ofMillis(300))));
        var taken = other.scheduler().awaitOffer(0, o -> on(o, agent), "to the other framework");
        var back = decliner.scheduler().awaitOffer(afterDecline, o -> on(o, agent), "back to the decliner");

        assertThat(taken.at()).isBefore(declined.at().plus(refuse));
        assertThat(back.at()).isAfterOrEqualTo(declined.at().plus(refuse));
    }

    @Test
    void resourcesAnAcceptLeavesUnusedAreOfferedAgainAtOnce() {
        RecordingScheduler launcherScheduler = new RecordingScheduler(OfferStrategy.hold())
                .launchRefuse(Duration.ofSeconds(30));
        launcherScheduler.launch(Tasks.shell("half-cpu", "sleep 600").cpus(0.5).mem(128));
        RunningFramework launcher = framework(RunningFramework.info("launcher"), launcherScheduler);
        TaskStatus running = launcherScheduler.awaitState(Tasks.id("half-cpu"), TaskState.TASK_RUNNING);
        var launchedOn = launcherScheduler.awaitOffer(0, o -> on(o, running.getAgentId()), "used for the task");

        RunningFramework other = framework(RunningFramework.info("other"), new RecordingScheduler(OfferStrategy.hold()));
        var rest = other.scheduler().awaitOffer(0, o -> on(o, running.getAgentId()), "of what the task left");

        assertThat(scalar(rest.value(), "cpus")).isEqualTo(1.5);
        assertThat(scalar(rest.value(), "mem")).isEqualTo(1024.0 - 128);
        // The launcher refused the rest for 30 s, so only an immediate return explains this offer.
        assertThat(rest.at()).isBefore(launchedOn.at().plus(Duration.ofSeconds(30)));
        assertThat(launcher.scheduler().failedCalls()).isEmpty();
    }

    @Test
    void suppressStopsOffersAndReviveBringsThemBack() {
        RunningFramework fw = framework(RunningFramework.info("suppressor"),
                new RecordingScheduler(OfferStrategy.decline(Duration.ofMillis(200))));
        fw.scheduler().awaitOffer(0, o -> true, "before suppressing");

        RunningFramework.join(fw.driver().suppress(Set.of()));
        fw.sync();
        int suppressedAt = fw.scheduler().offers().size();
        await("no offers while suppressed").during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5))
                .until(() -> fw.scheduler().offers().size() == suppressedAt);

        RunningFramework.join(fw.driver().revive(Set.of()));
        fw.scheduler().awaitOffer(suppressedAt, o -> true, "after reviving");
    }

    @Test
    void twoFrameworksBothGetOffers() {
        RunningFramework first = framework(RunningFramework.info("first"),
                new RecordingScheduler(OfferStrategy.decline(Duration.ofMillis(500))));
        RunningFramework second = framework(RunningFramework.info("second"),
                new RecordingScheduler(OfferStrategy.decline(Duration.ofMillis(500))));

        first.scheduler().awaitOffer(0, o -> true, "to the first framework");
        second.scheduler().awaitOffer(0, o -> true, "to the second framework");

        assertThat(first.id()).isNotEqualTo(second.id());
        assertThat(cluster.operator().roles().getRolesList()).filteredOn(r -> r.getName().equals("*"))
                .singleElement().satisfies(role -> assertThat(role.getFrameworksList()).contains(first.id(), second.id()));
    }
}
