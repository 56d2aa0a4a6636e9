package io.tandem.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tandem.frameworks.service.ServiceClient;
import io.tandem.testkit.InProcessCluster;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.mesos.v1.Protos.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tandem local --demo}'s frameworks on a real cluster: they share it, each in its role. */
class DemoTest {

    @Test
    void theDemoFrameworksRunAtOnceEachInItsOwnRole(@TempDir Path stateDir) throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (InProcessCluster cluster = InProcessCluster.builder().agents(2)
                .agentResources("cpus:1;mem:1024;disk:1024;ports:[31000-31099]").start();
             Demo demo = Demo.start(cluster.masterUrl().toString(), 0, 0, stateDir, new PrintStream(printed, true, StandardCharsets.UTF_8))) {

            await("the batch and gang roles both hold resources").atMost(Duration.ofSeconds(60))
                    .until(() -> rolesWithResources(cluster).containsAll(Set.of("batch", "services", "gang")));
            await("all gang members running").atMost(Duration.ofSeconds(60))
                    .until(() -> demo.gang().scheduler().phase() == io.tandem.frameworks.gang.GangScheduler.Phase.RUNNING);

            await("the service's three instances healthy").atMost(Duration.ofSeconds(90))
                    .until(() -> new ServiceClient(demo.service().url()).status("web").healthy() == 3);
            assertThat(demo.gang().scheduler().addresses()).hasSize(Demo.GANG_SIZE);
            assertThat(demo.batch().scheduler().status(demo.job().id())).hasValueSatisfying(
                    s -> assertThat(s.state()).isEqualTo("RUNNING"));
            assertThat(demo.howToLook(cluster.masterUrl().toString())).contains("tandem roles").contains("tandem state");
            assertThat(printed.toString(StandardCharsets.UTF_8)).contains("Batch:").contains("Service:").contains("Gang:")
                    .doesNotContain("members launched together").contains("gang demo: all 4 members running");
        }
    }

    private static Set<String> rolesWithResources(InProcessCluster cluster) {
        return cluster.operator().roles().getRolesList().stream()
                .filter(r -> r.getResourcesList().stream().anyMatch(res -> res.getName().equals("cpus")
                        && res.getScalar().getValue() > 0))
                .map(Role::getName).collect(Collectors.toSet());
    }
}
