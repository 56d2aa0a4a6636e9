package io.tandem.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.IntStream;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.master.Protos.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cluster harness itself: what start(), stopAgent() and close() promise. */
class InProcessClusterTest {

    @Test
    void startReturnsWithEveryAgentRegisteredUnderItsOwnId() {
        try (InProcessCluster cluster = InProcessCluster.builder().agents(3).agentResources("cpus:1;mem:256").start()) {
            Response.GetAgents agents = cluster.operator().agents();

            assertThat(agents.getAgentsList()).hasSize(3);
            assertThat(IntStream.range(0, 3).mapToObj(cluster::agentId).distinct()).hasSize(3);
            assertThat(agents.getAgentsList()).extracting(a -> a.getAgentInfo().getId())
                    .containsExactlyInAnyOrder(cluster.agentId(0), cluster.agentId(1), cluster.agentId(2));
            assertThat(cluster.indexOf(cluster.agentId(2))).isEqualTo(2);
            assertThat(cluster.masterUrl().getHost()).isEqualTo("127.0.0.1");
            assertThat(cluster.operator().healthy()).isTrue();
        }
    }

    @Test
    void closeDeletesTheTemporaryWorkDirectories() {
        Path agentDir;
        try (InProcessCluster cluster = InProcessCluster.builder().agents(1).start()) {
            agentDir = cluster.agentWorkDir(0);
            assertThat(agentDir).isDirectory();
        }

        assertThat(agentDir).doesNotExist();
        assertThat(agentDir.getParent()).doesNotExist();
    }

    @Test
    void givenWorkDirectoryIsUsedAndLeftInPlace(@TempDir Path dir) {
        try (InProcessCluster cluster = InProcessCluster.builder().workDir(dir).start()) {
            assertThat(cluster.agentWorkDir(0)).startsWith(dir);
        }

        assertThat(dir).isDirectory();
        assertThat(Files.exists(dir.resolve("agent-0"))).isTrue();
    }

    @Test
    void stoppedAgentDisappearsFromTheMasterAfterTheAgentTimeout() {
        try (InProcessCluster cluster = InProcessCluster.builder().agents(2)
                .masterConfig(c -> c.withAgentTimeouts(Duration.ofMillis(200), Duration.ofSeconds(2))).start()) {
            AgentID survivor = cluster.agentId(1);

            cluster.stopAgent(0);

            await("agent 0 gone from GET_AGENTS").atMost(RecordingScheduler.PATIENCE)
                    .until(() -> cluster.operator().agents().getAgentsCount() == 1);
            assertThat(cluster.operator().agents().getAgents(0).getAgentInfo().getId()).isEqualTo(survivor);
        }
    }

    @Test
    void partitioningNeedsAPartitionableCluster() {
        try (InProcessCluster cluster = InProcessCluster.builder().start()) {
            assertThatThrownBy(() -> cluster.partitionAgent(0)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("partitionable()");
        }
    }
}
