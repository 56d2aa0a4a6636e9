package io.tandem.sdk;

import io.tandem.api.MesosJson;
import io.tandem.api.ZooKeeperUrl;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.mesos.v1.Protos.MasterInfo;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the leading master of a highly available cluster from its {@code zk://} URL: the masters
 * elect a leader under {@link ZooKeeperUrl#leaderPath()}, one ephemeral sequential node each holding
 * its {@code MasterInfo} as JSON, and the lowest sequence leads (Mesos's detector reads its
 * {@code json.info_} nodes the same way). Each {@link #leader()} reads ZooKeeper afresh, so a caller
 * that asks again after a failure sees a new leader as soon as ZooKeeper does.
 *
 * <pre>{@code
 * try (ZooKeeperMasterDetector detector = ZooKeeperMasterDetector.connect(ZooKeeperUrl.parse("zk://h1:2181/tandem"))) {
 *     Optional<URI> leader = detector.leader();   // http://m2:5050
 * }
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class ZooKeeperMasterDetector implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ZooKeeperMasterDetector.class);

    private final ZooKeeperUrl url;
    private final CuratorFramework client;

    private ZooKeeperMasterDetector(ZooKeeperUrl url, CuratorFramework client) {
        this.url = url;
        this.client = client;
    }

    /** Starts a ZooKeeper client for {@code url}; it connects in the background. */
    public static ZooKeeperMasterDetector connect(ZooKeeperUrl url) {
        CuratorFramework client = CuratorFrameworkFactory.builder()
                .connectString(url.connectString())
                .sessionTimeoutMs((int) Duration.ofSeconds(10).toMillis())
                .connectionTimeoutMs((int) Duration.ofSeconds(5).toMillis())
                .retryPolicy(new ExponentialBackoffRetry(200, 3))
                .build();
        client.start();
        return new ZooKeeperMasterDetector(url, client);
    }

    /** The leading master's base URL ({@code http://host:port}), or empty while no master leads. */
    public Optional<URI> leader() {
        return leaderInfo().map(ZooKeeperMasterDetector::baseUrl);
    }

    /** The leading master's {@code MasterInfo}, or empty while no master leads or ZooKeeper is out of reach. */
    public Optional<MasterInfo> leaderInfo() {
        try {
            List<String> children = client.getChildren().forPath(url.leaderPath());
            Optional<String> first = children.stream().min(Comparator.comparing(ZooKeeperMasterDetector::sequence));
            if (first.isEmpty()) {
                return Optional.empty();
            }
            byte[] data = client.getData().forPath(url.leaderPath() + "/" + first.get());
            return Optional.of(MesosJson.parse(new String(data, StandardCharsets.UTF_8), MasterInfo.newBuilder()).build());
        } catch (KeeperException.NoNodeException e) {
            return Optional.empty();   // no master has ever run here, or the leader's node just went
        } catch (Exception e) {
            LOG.debug("cannot read the leading master from {}: {}", url, e.toString());
            return Optional.empty();
        }
    }

    /** ZooKeeper appends a 10-digit sequence number to each sequential node's name. */
    private static String sequence(String child) {
        return child.length() >= 10 ? child.substring(child.length() - 10) : child;
    }

    static URI baseUrl(MasterInfo info) {
        String host = info.hasAddress() && info.getAddress().hasHostname() ? info.getAddress().getHostname()
                : info.hasHostname() ? info.getHostname() : info.getAddress().getIp();
        int port = info.hasAddress() && info.getAddress().hasPort() ? info.getAddress().getPort() : info.getPort();
        String bracketed = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        return URI.create("http://" + bracketed + ":" + port);
    }

    @Override
    public String toString() {
        return url.toString();
    }

    @Override
    public void close() {
        client.close();
    }
}
