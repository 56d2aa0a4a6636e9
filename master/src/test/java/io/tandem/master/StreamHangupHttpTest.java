package io.tandem.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tandem.api.MediaType;
import io.tandem.api.agent.AgentCall;
import io.tandem.api.agent.AgentProtocol;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.mesos.v1.master.Protos.Call;
import org.apache.mesos.v1.master.Protos.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A subscriber that closes its connection is noticed at once, as Mesos notices it, and not only
 * when a later write (the next heartbeat) fails. Heartbeats are an hour apart here and the master's
 * clock stands still, so nothing but the closed connection can tell the master.
 */
class StreamHangupHttpTest {
    private static final Duration AT_ONCE = Duration.ofSeconds(2);

    @TempDir
    Path dir;
    RunningMaster master;
    FakeAgent agent;

    @BeforeEach
    void start() {
        master = new RunningMaster(LoopDriver.config(dir).withHeartbeatInterval(Duration.ofHours(1))
                .withAgentTimeouts(Duration.ofSeconds(1), Duration.ofHours(1)));
    }

    @AfterEach
    void stop() {
        if (agent != null) {
            agent.close();
        }
        master.close();
    }

    @Test
    void aSchedulerThatClosesItsConnectionIsDisconnectedAndItsOffersRescindedAtOnce() {
        agent = new FakeAgent(master.url()).subscribe(Protobufs.agentInfo("h1", "cpus:4;mem:1024"));
        byte[] subscribe = MediaType.JSON.encode(Protobufs.subscribe(
                Protobufs.withFailover(Protobufs.framework("fw"), 3600)));
        try (RawHttpStream scheduler = RawHttpStream.post(master.url(), SchedulerApiServlet.PATH, subscribe)) {
            await().until(() -> scheduler.received().contains("\"OFFERS\""));
            assertThat(onlyFramework().getConnected()).isTrue();
            assertThat(onlyFramework().getOffersList()).hasSize(1);
        }

        await().atMost(AT_ONCE).untilAsserted(() -> {
            Response.GetFrameworks.Framework framework = onlyFramework();
            assertThat(framework.getConnected()).isFalse();
            assertThat(framework.getActive()).isFalse();
            assertThat(framework.getOffersList()).isEmpty();
        });
        // Disconnected, not removed: its failover timeout (an hour) now runs.
        master.clock.advance(Duration.ofSeconds(3601));
        await().untilAsserted(() -> assertThat(master.frameworks().getCompletedFrameworksList()).hasSize(1));
    }

    @Test
    void anAgentThatClosesItsConnectionIsInactiveAtOnce() {
        byte[] subscribe = AgentProtocol.encode(new AgentCall.Subscribe(Protobufs.agentInfo("h1", "cpus:4"),
                List.of(), List.of(), List.of()));
        try (RawHttpStream stream = RawHttpStream.post(master.url(), AgentProtocol.PATH, subscribe)) {
            await().until(() -> stream.received().contains("SUBSCRIBED"));
            assertThat(onlyAgent().getActive()).isTrue();
        }

        await().atMost(AT_ONCE).untilAsserted(() -> assertThat(onlyAgent().getActive()).isFalse());
    }

    @Test
    void aStreamTheMasterEndsGetsItsLastEventsAndTheLastChunkBeforeTheConnectionCloses() {
        byte[] subscribe = MediaType.JSON.encode(Protobufs.subscribe(Protobufs.framework("fw")));
        try (RawHttpStream first = RawHttpStream.post(master.url(), SchedulerApiServlet.PATH, subscribe)) {
            await().until(() -> first.received().contains("\"SUBSCRIBED\""));
            Matcher id = Pattern.compile("\"framework_id\":\\{\"value\":\"([^\"]+)\"").matcher(first.received());
            assertThat(id.find()).as(first.received()).isTrue();

            try (HttpScheduler second = new HttpScheduler(master.url(), MediaType.JSON).subscribe(
                    Protobufs.framework("fw").toBuilder().setId(Protobufs.frameworkId(id.group(1))).build())) {
                await().until(first::ended);
                assertThat(first.received()).contains("a new subscription replaced this stream").endsWith("\r\n0\r\n\r\n");
                assertThat(second.subscribeStatus()).isEqualTo(200);
                assertThat(onlyFramework().getConnected()).isTrue();
            }
        }
    }

    private Response.GetFrameworks.Framework onlyFramework() {
        List<Response.GetFrameworks.Framework> frameworks = master.frameworks().getFrameworksList();
        assertThat(frameworks).hasSize(1);
        return frameworks.getFirst();
    }

    private Response.GetAgents.Agent onlyAgent() {
        List<Response.GetAgents.Agent> agents = master.operator(Call.Type.GET_AGENTS, MediaType.JSON)
                .getGetAgents().getAgentsList();
        assertThat(agents).hasSize(1);
        return agents.getFirst();
    }
}
