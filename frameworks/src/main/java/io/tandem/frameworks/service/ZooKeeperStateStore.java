package io.tandem.frameworks.service;

import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.zookeeper.KeeperException;

/**
 * Keeps the document in one ZooKeeper node (Apache Curator client), so that a scheduler restarted on
 * another machine finds it. A write is a {@code setData} (or a create the first time), acknowledged by
 * a quorum before it returns.
 */
public final class ZooKeeperStateStore implements StateStore {
    private static final int CONNECT_SECONDS = 15;
    private final CuratorFramework client;
    private final String connect;
    private final String node;

    /**
     * @param url {@code zk://host:port[,host:port...]/path}; the document lives at {@code <path>/state}
     *            (default path {@code /tandem/services})
     */
    public ZooKeeperStateStore(String url) {
        if (!url.startsWith("zk://")) {
            throw new IllegalArgumentException("--zk must look like zk://host:port/path, got '" + url + "'");
        }
        String rest = url.substring("zk://".length());
        int slash = rest.indexOf('/');
        this.connect = slash < 0 ? rest : rest.substring(0, slash);
        String path = slash < 0 || slash == rest.length() - 1 ? "/tandem/services" : rest.substring(slash);
        if (connect.isBlank()) {
            throw new IllegalArgumentException("--zk names no ZooKeeper server: '" + url + "'");
        }
        this.node = path.replaceAll("/+$", "") + "/state";
        this.client = CuratorFrameworkFactory.newClient(connect, new ExponentialBackoffRetry(200, 5));
        client.start();
        try {
            if (!client.blockUntilConnected(CONNECT_SECONDS, TimeUnit.SECONDS)) {
                client.close();
                throw new IllegalStateException("cannot reach ZooKeeper at " + connect + " within " + CONNECT_SECONDS + "s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            client.close();
            throw new IllegalStateException("interrupted while connecting to ZooKeeper at " + connect, e);
        }
    }

    @Override
    public Optional<byte[]> read() {
        try {
            return Optional.of(client.getData().forPath(node));
        } catch (KeeperException.NoNodeException e) {
            return Optional.empty();
        } catch (Exception e) {
            throw new IllegalStateException("cannot read " + describe() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void write(byte[] document) {
        try {
            try {
                client.setData().forPath(node, document);
            } catch (KeeperException.NoNodeException e) {
                client.create().creatingParentsIfNeeded().forPath(node, document);
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot write " + describe() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String describe() {
        return "zk://" + connect + node;
    }

    @Override
    public void close() {
        client.close();
    }
}
