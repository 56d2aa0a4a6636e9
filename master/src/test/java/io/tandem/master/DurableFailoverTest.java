package io.tandem.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tandem.api.ZooKeeperUrl;
import io.tandem.master.ha.HighAvailability;
import io.tandem.master.registry.RegistryState;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a leader acknowledged survives its stopping right after the acknowledgement, before any tick
 * of the registrar could have written it behind (real ZooKeeper, real HTTP).
 */
class DurableFailoverTest {
    private static final Duration SESSION = Duration.ofSeconds(2);
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private TestingServer zookeeper;
    private ZooKeeperUrl zk;
    private Master first;
    private Master second;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void startTwoMasters() throws Exception {
        zookeeper = new TestingServer(new InstanceSpec(null, -1, -1, -1, true, -1,
                (int) HighAvailability.ZOOKEEPER_TICK.toMillis(), -1, HighAvailability.zooKeeperServerSettings()), true);
        zk = ZooKeeperUrl.parse("zk://" + zookeeper.getConnectString() + "/tandem");
        first = master("a");
        await().atMost(WAIT).until(first::isLeading);
        second = master("b");
    }

    @AfterEach
    void stopAll() throws Exception {
        second.close();
        first.close();
        zookeeper.close();
    }

    private Master master(String name) {
        return Master.start(MasterConfig.defaults(dir.resolve(name)).withBind("127.0.0.1", 0),
                Optional.of(new HighAvailability(zk, 1, SESSION)), Clock.systemUTC());
    }

    private HttpResponse<String> operator(Master master, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(master.url().resolve("/api/v1")).header("Content-Type", "application/json")
                .header("Accept", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private RegistryState registry() throws Exception {
        try (CuratorFramework client = CuratorFrameworkFactory.newClient(zookeeper.getConnectString(), new RetryOneTime(100))) {
            client.start();
            return RegistryState.fromJson(client.getData().forPath(zk.registryPath()), "the test");
        }
    }

    @Test
    void agentAdmittedJustBeforeTheLeaderStopsIsInTheRegistry() throws Exception {
        try (FakeAgent agent = new FakeAgent(first.url()).subscribe(Protobufs.agentInfo("host-1", "cpus:2;mem:1024"))) {
            assertThat(agent.subscribeStatus()).isEqualTo(200);   // the stream's headers: it has started

            first.close();

            await().atMost(WAIT).until(agent::subscribed);
            assertThat(registry().agents()).extracting(RegistryState.AgentEntry::id).contains(agent.agentId().getValue());
            await().atMost(WAIT).until(second::isLeading);
        }
    }

    @Test
    void quotaSetJustBeforeTheLeaderStopsIsKeptByTheNextLeader() throws Exception {
        HttpResponse<String> set = operator(first, "{\"type\":\"UPDATE_QUOTA\",\"update_quota\":{\"force\":true,"
                + "\"quota_configs\":[{\"role\":\"prod\",\"guarantees\":{\"cpus\":{\"value\":3}}}]}}");
        assertThat(set.statusCode()).isEqualTo(200);

        first.close();

        await().atMost(WAIT).until(second::isLeading);
        assertThat(operator(second, "{\"type\":\"GET_QUOTA\"}").body()).contains("\"prod\"");
    }
}
