package io.tandem.master.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Against a real ZooKeeper server (Curator's TestingServer). */
class ZooKeeperRegistryTest {
    private static final String PATH = "/tandem/registry";

    private TestingServer server;
    private CuratorFramework client;

    @BeforeEach
    void start() throws Exception {
        server = new TestingServer(true);
        client = CuratorFrameworkFactory.newClient(server.getConnectString(), new RetryOneTime(100));
        client.start();
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        server.close();
    }

    @Test
    void storedStateReadsBackInANewRegistry() throws Exception {
        ZooKeeperRegistry first = new ZooKeeperRegistry(client, PATH);
        first.load();
        first.store(RegistryState.empty());
        first.store(FileRegistryTest.sample());

        assertThat(new ZooKeeperRegistry(client, PATH).load()).isEqualTo(FileRegistryTest.sample());
    }

    @Test
    void aWriteAfterAnotherMasterWroteIsAConflictAndChangesNothing() throws Exception {
        ZooKeeperRegistry stale = new ZooKeeperRegistry(client, PATH);
        stale.load();
        stale.store(RegistryState.empty());
        ZooKeeperRegistry newLeader = new ZooKeeperRegistry(client, PATH);
        newLeader.load();
        newLeader.store(FileRegistryTest.sample());

        RegistryException refused = catchThrowableOfType(RegistryException.class,
                () -> stale.store(RegistryState.empty()));

        assertThat(refused.isConflict()).isTrue();
        assertThat(refused).hasMessageContaining("no longer leads");
        assertThat(new ZooKeeperRegistry(client, PATH).load()).isEqualTo(FileRegistryTest.sample());
    }

    @Test
    void twoMastersCreatingTheRegistryAtOnceConflict() throws Exception {
        ZooKeeperRegistry one = new ZooKeeperRegistry(client, PATH);
        ZooKeeperRegistry two = new ZooKeeperRegistry(client, PATH);
        one.load();
        two.load();
        one.store(RegistryState.empty());

        assertThat(catchThrowableOfType(RegistryException.class, () -> two.store(RegistryState.empty())).isConflict())
                .isTrue();
    }
}
