package io.tandem.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ZooKeeperUrlTest {
    @Test
    void readsEnsembleAndPath() {
        ZooKeeperUrl url = ZooKeeperUrl.parse(" zk://h1:2181,h2:2182/tandem/prod ");

        assertThat(url.connectString()).isEqualTo("h1:2181,h2:2182");
        assertThat(url.path()).isEqualTo("/tandem/prod");
        assertThat(url.leaderPath()).isEqualTo("/tandem/prod/leader");
        assertThat(url.registryPath()).isEqualTo("/tandem/prod/registry");
        assertThat(url).hasToString("zk://h1:2181,h2:2182/tandem/prod");
    }

    @Test
    void tellsZooKeeperUrlsFromHttpMasters() {
        assertThat(ZooKeeperUrl.isZooKeeper("ZK://h:1/x")).isTrue();
        assertThat(ZooKeeperUrl.find("http://m1:5050,http://m2:5050")).isEmpty();
        assertThat(ZooKeeperUrl.find("zk://h:1/x")).isPresent();
    }

    @Test
    void refusalNamesWhatIsWrong() {
        assertThatThrownBy(() -> ZooKeeperUrl.parse("zk://h1:2181")).hasMessageContaining("has no path");
        assertThatThrownBy(() -> ZooKeeperUrl.parse("zk://h1/tandem")).hasMessageContaining("'h1' must be host:port");
        assertThatThrownBy(() -> ZooKeeperUrl.parse("zk://h1:21x/tandem")).hasMessageContaining("port '21x'");
        assertThatThrownBy(() -> ZooKeeperUrl.parse("zk://h1:99999999999/t")).hasMessageContaining("not a port number");
        assertThatThrownBy(() -> ZooKeeperUrl.parse("zk://h1:2181/")).hasMessageContaining("must look like /tandem");
        assertThatThrownBy(() -> ZooKeeperUrl.parse("http://h1:2181/t")).hasMessageContaining("not a ZooKeeper URL");
    }
}
