package io.tandem.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tandem.api.MediaType;
import io.tandem.api.ZooKeeperUrl;
import io.tandem.master.ha.HighAvailability;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Masters electing a leader through a real ZooKeeper server (Curator's TestingServer), over real HTTP. */
class MasterHighAvailabilityTest {
    private static final Duration SESSION = Duration.ofSeconds(2);
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private TestingServer zookeeper;
    private ZooKeeperUrl zk;
    private final List<AutoCloseable> closing = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @BeforeEach
    void startZooKeeper() throws Exception {
        zookeeper = new TestingServer(new InstanceSpec(null, -1, -1, -1, true, -1, 200, -1), true);
        zk = ZooKeeperUrl.parse("zk://" + zookeeper.getConnectString() + "/tandem");
    }

    @AfterEach
    void stopAll() throws Exception {
        for (AutoCloseable c : closing.reversed()) {
            c.close();
        }
        zookeeper.close();
    }

    private Master master(String name) {
        Master master = Master.start(MasterConfig.defaults(dir.resolve(name)).withBind("127.0.0.1", 0)
                        .withAllocationInterval(Duration.ofMillis(100)),
                Optional.of(new HighAvailability(zk, 1, SESSION)), Clock.systemUTC());
        closing.add(master);
        return master;
    }

    private HttpResponse<String> operator(Master master, String type) throws Exception {
        return http.send(HttpRequest.newBuilder(master.url().resolve("/api/v1"))
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"" + type + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void standbyRedirectsApiCallsToTheLeaderAndStaysHealthy() throws Exception {
        Master first = master("a");
        await().atMost(WAIT).until(first::isLeading);
        Master second = master("b");

        HttpResponse<String> redirected = operator(second, "GET_HEALTH");
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(second.url().resolve("/health")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(second.isLeading()).isFalse();
        assertThat(redirected.statusCode()).isEqualTo(307);
        assertThat(redirected.headers().firstValue("Location"))
                .hasValue("//" + first.url().getRawAuthority() + "/api/v1");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(operator(first, "GET_HEALTH").statusCode()).isEqualTo(200);
    }

    @Test
    void standbyTakesOverWhenTheLeaderStopsAndKnowsItsFrameworksFromTheRegistry() throws Exception {
        Master first = master("a");
        await().atMost(WAIT).until(first::isLeading);
        Master second = master("b");
        HttpScheduler scheduler = new HttpScheduler(first.url(), MediaType.JSON)
                .subscribe(Protobufs.withFailover(Protobufs.framework("survivor"), 3600));
        closing.add(scheduler);
        await().atMost(WAIT).until(() -> !scheduler.eventsOf(Event.Type.SUBSCRIBED).isEmpty());
        String id = scheduler.frameworkId().getValue();
        await().atMost(WAIT).until(() -> new String(zookeeper.getConnectString().isEmpty() ? new byte[0]
                : registryBytes()).contains(id));

        first.close();

        await().atMost(WAIT).until(second::isLeading);
        assertThat(operator(second, "GET_FRAMEWORKS").body()).contains(id);
        HttpScheduler again = new HttpScheduler(second.url(), MediaType.JSON)
                .subscribe(Protobufs.withFailover(Protobufs.framework("survivor"), 3600).toBuilder()
                        .setId(scheduler.frameworkId()).build());
        closing.add(again);
        await().atMost(WAIT).until(() -> !again.eventsOf(Event.Type.SUBSCRIBED).isEmpty());
        assertThat(again.frameworkId().getValue()).isEqualTo(id);
    }

    @Test
    void leaderThatLosesZooKeeperStopsServingAtOnce() throws Exception {
        Master leader = master("a");
        await().atMost(WAIT).until(leader::isLeading);

        zookeeper.stop();

        await().atMost(WAIT).until(() -> !leader.isLeading());
        assertThat(operator(leader, "GET_HEALTH").statusCode()).isIn(307, 503);
    }

    private byte[] registryBytes() throws Exception {
        try (var client = org.apache.curator.framework.CuratorFrameworkFactory.newClient(zookeeper.getConnectString(),
                new org.apache.curator.retry.RetryOneTime(100))) {
            client.start();
            return client.checkExists().forPath(zk.registryPath()) == null ? new byte[0]
                    : client.getData().forPath(zk.registryPath());
        }
    }

    @SuppressWarnings("unused")
    private static URI base(Master master) {
        return master.url();
    }
}
