package io.tandem.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.api.MesosJson;
import io.tandem.api.ZooKeeperUrl;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.apache.mesos.v1.Protos.Address;
import org.apache.mesos.v1.Protos.MasterInfo;
import org.apache.zookeeper.CreateMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Against a real ZooKeeper server (Curator's TestingServer), with election nodes written as masters write them. */
class ZooKeeperMasterDetectorTest {
    private TestingServer server;
    private CuratorFramework client;
    private ZooKeeperUrl url;

    @BeforeEach
    void start() throws Exception {
        server = new TestingServer(true);
        client = CuratorFrameworkFactory.newClient(server.getConnectString(), new RetryOneTime(100));
        client.start();
        url = ZooKeeperUrl.parse("zk://" + server.getConnectString() + "/tandem");
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        server.close();
    }

    private String contender(String host, int port) throws Exception {
        MasterInfo info = MasterInfo.newBuilder().setId(host).setIp(0).setPort(port).setHostname(host)
                .setAddress(Address.newBuilder().setHostname(host).setIp("127.0.0.1").setPort(port)).build();
        return client.create().creatingParentsIfNeeded().withMode(CreateMode.EPHEMERAL_SEQUENTIAL)
                .forPath(url.leaderPath() + "/_c_x-latch-", MesosJson.print(info).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void noMasterMeansNoLeader() {
        try (ZooKeeperMasterDetector detector = ZooKeeperMasterDetector.connect(url)) {
            assertThat(detector.leader()).isEmpty();
        }
    }

    @Test
    void theLowestSequenceLeadsAndTheNextTakesOverWhenItGoes() throws Exception {
        String first = contender("m1", 5050);
        contender("m2", 5051);

        try (ZooKeeperMasterDetector detector = ZooKeeperMasterDetector.connect(url)) {
            assertThat(detector.leader()).hasValue(URI.create("http://m1:5050"));

            client.delete().forPath(first);

            assertThat(detector.leader()).hasValue(URI.create("http://m2:5051"));
        }
    }
}
