package io.tandem.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tandem.api.ZooKeeperUrl;
import io.tandem.master.ha.HighAvailability;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --quorum}: a master leads only while enough masters take part in the election (real ZooKeeper). */
class MasterQuorumTest {
    private static final Duration SESSION = Duration.ofSeconds(2);
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private TestingServer zookeeper;
    private ZooKeeperUrl zk;
    private final List<Master> masters = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @BeforeEach
    void startZooKeeper() throws Exception {
        zookeeper = new TestingServer(new InstanceSpec(null, -1, -1, -1, true, -1,
                (int) HighAvailability.ZOOKEEPER_TICK.toMillis(), -1, HighAvailability.zooKeeperServerSettings()), true);
        zk = ZooKeeperUrl.parse("zk://" + zookeeper.getConnectString() + "/tandem");
    }

    @AfterEach
    void stopAll() throws Exception {
        masters.reversed().forEach(Master::close);
        zookeeper.close();
    }

    private Master master(String name, int quorum) {
        Master master = Master.start(MasterConfig.defaults(dir.resolve(name)).withBind("127.0.0.1", 0),
                Optional.of(new HighAvailability(zk, quorum, SESSION)), Clock.systemUTC());
        masters.add(master);
        return master;
    }

    private long leading() {
        return masters.stream().filter(Master::isLeading).count();
    }

    private int health(Master master) throws Exception {
        return http.send(HttpRequest.newBuilder(master.url().resolve("/api/v1")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"GET_HEALTH\"}")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void loneMasterDoesNotLeadUntilTheQuorumTakesPart() throws Exception {
        Master first = master("a", 2);

        await().during(Duration.ofSeconds(1)).atMost(WAIT).until(() -> !first.isLeading());
        assertThat(health(first)).isEqualTo(503);

        master("b", 2);
        await().atMost(WAIT).until(() -> leading() == 1);
    }

    @Test
    void killingOneOfThreeMastersWithQuorumTwoLeavesAWorkingCluster() throws Exception {
        master("a", 2);
        master("b", 2);
        master("c", 2);
        await().atMost(WAIT).until(() -> leading() == 1);
        Master leader = masters.stream().filter(Master::isLeading).findFirst().orElseThrow();

        leader.close();
        masters.remove(leader);

        await().atMost(WAIT).until(() -> leading() == 1);
        Master next = masters.stream().filter(Master::isLeading).findFirst().orElseThrow();
        assertThat(health(next)).isEqualTo(200);
    }

    @Test
    void leaderStopsActingWhenFewerMastersThanTheQuorumRemain() throws Exception {
        master("a", 2);
        master("b", 2);
        await().atMost(WAIT).until(() -> leading() == 1);
        Master standby = masters.stream().filter(m -> !m.isLeading()).findFirst().orElseThrow();
        Master leader = masters.stream().filter(Master::isLeading).findFirst().orElseThrow();

        standby.close();
        masters.remove(standby);

        await().atMost(WAIT).until(() -> !leader.isLeading());
        assertThat(health(leader)).isEqualTo(503);
    }

    @Test
    void quorumBelowOneIsRefusedWithAReason() {
        assertThatThrownBy(() -> new HighAvailability(zk, 0, SESSION))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--quorum must be at least 1");
    }
}
