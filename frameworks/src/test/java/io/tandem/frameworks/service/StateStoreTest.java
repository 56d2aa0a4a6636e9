package io.tandem.frameworks.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateStoreTest {

    @Test
    void fileStoreReadsBackWhatItWroteAndLeavesNoTemporaryFile(@TempDir Path dir) {
        FileStateStore store = new FileStateStore(dir.resolve("state"));
        assertThat(store.read()).isEmpty();

        store.write(bytes("one"));
        store.write(bytes("two"));

        assertThat(new FileStateStore(dir.resolve("state")).read()).hasValueSatisfying(b -> assertThat(text(b)).isEqualTo("two"));
        assertThat(dir.resolve("state").toFile().list()).containsExactly(FileStateStore.FILE);
    }

    @Test
    void fileStoreRefusesADirectoryItCannotCreate(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("plain-file"), "x");

        assertThatThrownBy(() -> new FileStateStore(file.resolve("state")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("cannot create state directory");
    }

    @Test
    void zooKeeperStoreKeepsTheDocumentAcrossClients() throws Exception {
        try (TestingServer zk = new TestingServer()) {
            String url = "zk://" + zk.getConnectString() + "/tandem/test";
            try (ZooKeeperStateStore first = new ZooKeeperStateStore(url)) {
                assertThat(first.read()).isEmpty();
                first.write(bytes("one"));
                first.write(bytes("two"));
            }
            try (ZooKeeperStateStore second = new ZooKeeperStateStore(url)) {
                assertThat(second.read()).hasValueSatisfying(b -> assertThat(text(b)).isEqualTo("two"));
                assertThat(second.describe()).endsWith("/tandem/test/state");
            }
        }
    }

    @Test
    void aSecondWriterOnTheSameZooKeeperNodeMakesTheFirstFailLoudly() throws Exception {
        try (TestingServer zk = new TestingServer()) {
            String url = "zk://" + zk.getConnectString() + "/tandem/test";
            try (ZooKeeperStateStore first = new ZooKeeperStateStore(url);
                 ZooKeeperStateStore second = new ZooKeeperStateStore(url)) {
                first.read();
                first.write(bytes("first's"));
                second.read();
                second.write(bytes("second's"));

                assertThatThrownBy(() -> first.write(bytes("first's again")))
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("another writer changed").hasMessageContaining("same --zk node");
                assertThat(second.read()).hasValueSatisfying(b -> assertThat(text(b)).isEqualTo("second's"));
            }
        }
    }

    @Test
    void zooKeeperUrlMustNameAServer() {
        assertThatThrownBy(() -> new ZooKeeperStateStore("http://x:2181/a")).hasMessageContaining("zk://host:port/path");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
