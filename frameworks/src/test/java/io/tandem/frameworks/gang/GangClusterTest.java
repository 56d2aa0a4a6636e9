package io.tandem.frameworks.gang;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tandem.sdk.ResourceNeeds;
import io.tandem.testkit.InProcessCluster;
import io.tandem.testkit.RecordingScheduler;
import io.tandem.testkit.RunningFramework;
import io.tandem.testkit.Tasks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.TaskState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Gangs end to end: a real master, two real agents (2 cpus each), members as real processes. */
class GangClusterTest {
    private static InProcessCluster cluster;
    private final List<String> progress = new CopyOnWriteArrayList<>();

    @TempDir
    Path shared;

    @BeforeAll
    static void startCluster() {
        cluster = InProcessCluster.builder().agents(2)
                .agentResources("cpus:2;mem:1024;disk:1024;ports:[31000-31099]").start();
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @Test
    void aGangThatCannotFitYetNeverLaunchesPartlyGivesBackItsOffersAndLaunchesWholeOnceRoomIsMade() throws Exception {
        try (RunningFramework other = RunningFramework.start(cluster.masterUrl(), RunningFramework.info("blocker"),
                new RecordingScheduler())) {
            other.scheduler().launch(Tasks.shell("blocker", "sleep 600").cpus(1.5).mem(32));
            other.scheduler().awaitState(Tasks.id("blocker"), TaskState.TASK_RUNNING);
            GangSpec spec = gang(4, "echo $TANDEM_GANG_MEMBERS > " + shared + "/member-$TANDEM_GANG_RANK");

            try (GangRunner gang = start(spec)) {
                await("the gang gave its offers back twice").atMost(Duration.ofSeconds(30))
                        .until(() -> gang.scheduler().releases() >= 2);
                int seen = other.scheduler().offers().size();
                other.scheduler().awaitOffer(seen, o -> cpus(o.getResourcesList()) >= 1,
                        "an offer of the resources the gang gave back");

                assertThat(cluster.operator().tasks().getTasksList()).as("only the blocker ever launched")
                        .extracting(t -> t.getTaskId().getValue()).containsExactly("blocker");
                assertThat(gang.scheduler().phase()).isEqualTo(GangScheduler.Phase.HOLDING);

                other.driver().kill(Tasks.id("blocker"), null);
                GangOutcome outcome = gang.finished().get(60, java.util.concurrent.TimeUnit.SECONDS);

                assertThat(outcome.succeeded()).as(outcome.message()).isTrue();
                List<String> addresses = gang.scheduler().addresses();
                // Both agents share this machine's hostname and port range here, so addresses may repeat.
                assertThat(addresses).hasSize(4).allMatch(a -> a.matches("[^:]+:310\\d\\d"));
                for (int rank = 0; rank < 4; rank++) {
                    assertThat(Files.readString(shared.resolve("member-" + rank)).strip())
                            .isEqualTo(String.join(",", addresses));
                }
            }
        }
        assertThat(progress).anyMatch(line -> line.contains("gave back")).anyMatch(line -> line.contains("launching all 4"));
    }

    @Test
    void aGangLargerThanTheClusterFailsAtOnceSayingWhy() throws Exception {
        try (GangRunner gang = start(gang(5, "true"))) {
            GangOutcome outcome = gang.finished().get(10, java.util.concurrent.TimeUnit.SECONDS);

            assertThat(outcome.succeeded()).isFalse();
            assertThat(outcome.message()).contains("a gang of 5").contains("can never fit")
                    .contains("at most 4 such member(s)");
        }
        assertThat(cluster.operator().frameworks().getFrameworksList())
                .noneMatch(f -> f.getFrameworkInfo().getName().startsWith("tandem-gang"));
    }

    private GangSpec gang(int size, String command) {
        return new GangSpec("mpi", size, ResourceNeeds.of(1, 32), command, Map.of(), Duration.ofMillis(500),
                Duration.ofMillis(500), Duration.ofMinutes(2), 0);
    }

    private GangRunner start(GangSpec spec) {
        return GangRunner.start(List.of(cluster.masterUrl().toString()), "gang", spec, InstantSource.system(),
                progress::add);
    }

    private static double cpus(List<Resource> resources) {
        return resources.stream().filter(r -> r.getName().equals("cpus")).mapToDouble(r -> r.getScalar().getValue()).sum();
    }
}
