package io.tandem.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tandem.api.MediaType;
import io.tandem.api.ZooKeeperUrl;
import io.tandem.master.ha.HighAvailability;
import io.tandem.master.registry.RegistryState;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.maintenance.Protos.ClusterStatus;
import org.apache.mesos.v1.master.Protos.Call;
import org.apache.mesos.v1.master.Protos.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The maintenance schedule and a DOWN machine are in the registry in ZooKeeper (a real server, Curator's
 * TestingServer): a new leader knows them and keeps refusing the DOWN machine's agents.
 */
class MaintenanceFailoverTest {
    private static final Duration SESSION = Duration.ofSeconds(2);
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Protos.MachineID DOWN = Protos.MachineID.newBuilder().setHostname("down.example").build();
    private static final Protos.MachineID DRAINING = Protos.MachineID.newBuilder().setIp("127.0.0.9").build();

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
        Master master = Master.start(MasterConfig.defaults(dir.resolve(name)).withBind("127.0.0.1", 0),
                Optional.of(new HighAvailability(zk, 1, SESSION)), Clock.systemUTC());
        closing.add(master);
        return master;
    }

    private HttpResponse<byte[]> operator(Master master, Call call) throws Exception {
        return http.send(HttpRequest.newBuilder(master.url().resolve("/api/v1"))
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(MediaType.JSON.encode(call))).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private Response read(Master master, Call.Type type) throws Exception {
        HttpResponse<byte[]> answer = operator(master, Call.newBuilder().setType(type).build());
        assertThat(answer.statusCode()).isEqualTo(200);
        return MediaType.JSON.decode(answer.body(), Response.newBuilder()).build();
    }

    private RegistryState registry() throws Exception {
        try (CuratorFramework client = CuratorFrameworkFactory.newClient(zookeeper.getConnectString(),
                new RetryOneTime(100))) {
            client.start();
            return client.checkExists().forPath(zk.registryPath()) == null ? RegistryState.empty()
                    : RegistryState.fromJson(client.getData().forPath(zk.registryPath()), "ZooKeeper");
        }
    }

    @Test
    void newLeaderKnowsTheScheduleAndKeepsTheDownMachinesAgentsOut() throws Exception {
        Master first = master("a");
        await().atMost(WAIT).until(first::isLeading);
        Master second = master("b");
        assertThat(operator(first, MaintenanceCallsTest.schedule(Instant.parse("2030-01-01T00:00:00Z"), DOWN, DRAINING))
                .statusCode()).isEqualTo(200);
        assertThat(operator(first, MaintenanceCallsTest.startMaintenance(DOWN)).statusCode()).isEqualTo(200);
        await().atMost(WAIT).until(() -> registry().maintenance().down().size() == 1);

        first.close();
        await().atMost(WAIT).until(second::isLeading);

        assertThat(read(second, Call.Type.GET_MAINTENANCE_SCHEDULE).getGetMaintenanceSchedule().getSchedule()
                .getWindows(0).getMachineIdsList()).containsExactly(DOWN, DRAINING);
        ClusterStatus status = read(second, Call.Type.GET_MAINTENANCE_STATUS).getGetMaintenanceStatus().getStatus();
        assertThat(status.getDownMachinesList()).containsExactly(DOWN);
        assertThat(status.getDrainingMachinesList()).extracting(ClusterStatus.DrainingMachine::getId)
                .containsExactly(DRAINING);
        try (FakeAgent refused = new FakeAgent(second.url()).subscribe(Protobufs.agentInfo("down.example", "cpus:1;mem:64"));
             FakeAgent admitted = new FakeAgent(second.url()).subscribe(Protobufs.agentInfo("up.example", "cpus:1;mem:64"))) {
            await().atMost(WAIT).until(refused::streamEnded);
            await().atMost(WAIT).until(admitted::subscribed);
            assertThat(refused.subscribed()).isFalse();
        }
    }
}
