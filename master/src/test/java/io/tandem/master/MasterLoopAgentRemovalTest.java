package io.tandem.master;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.mesos.v1.master.Protos.Call;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent removal rate limit and MARK_AGENT_GONE, on a hand-moved clock. */
class MasterLoopAgentRemovalTest {
    @TempDir
    Path dir;

    private LoopDriver driver;

    @AfterEach
    void close() {
        driver.close();
    }

    private List<Boolean> reachable() {
        return driver.snapshot().agents().stream().map(ClusterSnapshot.AgentView::reachable).toList();
    }

    @Test
    void silentAgentsAreMarkedUnreachableNoFasterThanTheRateLimit() {
        driver = new LoopDriver(LoopDriver.config(dir).withAgentRemoval(Duration.ofMinutes(10),
                Optional.of(RemovalRateLimit.parse("1/10s"))));
        driver.agent("a", "cpus:1;mem:128");
        driver.agent("b", "cpus:1;mem:128");

        driver.advance(MasterConfig.DEFAULT_AGENT_TIMEOUT.plusSeconds(1));
        assertThat(reachable()).containsExactlyInAnyOrder(true, false);

        driver.advance(Duration.ofSeconds(9));
        assertThat(reachable()).containsExactlyInAnyOrder(true, false);

        driver.advance(Duration.ofSeconds(1));
        assertThat(reachable()).containsExactly(false, false);
    }

    @Test
    void withoutARateLimitEverySilentAgentGoesAtOnce() {
        driver = new LoopDriver(LoopDriver.config(dir));
        driver.agent("a", "cpus:1;mem:128");
        driver.agent("b", "cpus:1;mem:128");

        driver.advance(MasterConfig.DEFAULT_AGENT_TIMEOUT.plusSeconds(1));

        assertThat(reachable()).containsExactly(false, false);
    }

    @Test
    void agentMarkedGoneIsForgottenAndMayNotComeBack() {
        driver = new LoopDriver(LoopDriver.config(dir));
        LoopDriver.AgentStream agent = driver.agent("a", "cpus:1;mem:128");

        CallResult result = driver.operator(Call.newBuilder().setType(Call.Type.MARK_AGENT_GONE)
                .setMarkAgentGone(Call.MarkAgentGone.newBuilder().setAgentId(agent.id())).build());

        assertThat(result.status()).isEqualTo(200);
        assertThat(driver.snapshot().agents()).isEmpty();
        RecordingSink<io.tandem.api.agent.AgentEvent> again = new RecordingSink<>();
        var admission = AgentAdmission.of(new io.tandem.api.agent.AgentCall.Subscribe(
                Protobufs.agentInfo("a", "cpus:1;mem:128").toBuilder().setId(agent.id()).build(),
                List.of(), List.of(), List.of()), LoopDriver.AGENT_IP);
        assertThat(driver.loop.subscribeAgent(admission, again, "s2").join()).isNull();
        assertThat(again.events()).isEmpty();
        assertThat(again.isClosed()).isTrue();
        assertThat(driver.snapshot().agents()).isEmpty();
    }

    @Test
    void markingAnUnknownAgentGoneIsRefusedByName() {
        driver = new LoopDriver(LoopDriver.config(dir));

        CallResult result = driver.operator(Call.newBuilder().setType(Call.Type.MARK_AGENT_GONE)
                .setMarkAgentGone(Call.MarkAgentGone.newBuilder().setAgentId(Protobufs.agentId("nope"))).build());

        assertThat(result.status()).isEqualTo(400);
        assertThat(result.message()).contains("agent nope is not known");
    }
}
