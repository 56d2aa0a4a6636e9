package io.tandem.frameworks.service;

import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/**
 * Keeps the document in one ZooKeeper node (Apache Curator client), so that a scheduler restarted on
 * another machine finds it. A write is a {@code setData} (or a create the first time), acknowledged by
 * a quorum before it returns. Writes are compare-and-set on the node's version as this store last read
 * or wrote it: a second scheduler on the same node makes the other's next write fail loudly instead of
 * the two overwriting each other's state.
 */
public final class ZooKeeperStateStore implements StateStore {
    private static final int CONNECT_SECONDS = 15;
    private final CuratorFramework client;
    private final String connect;
    private final String node;
    /** The node's version as this store last saw it; -1 before it saw the node (it may not exist). */
    private int version = -1;

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
            Stat stat = new Stat();
            byte[] data = client.getData().storingStatIn(stat).forPath(node);
            version = stat.getVersion();
            return Optional.of(data);
        } catch (KeeperException.NoNodeException e) {
            version = -1;
            return Optional.empty();
        } catch (Exception e) {
            throw new IllegalStateException("cannot read " + describe() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void write(byte[] document) {
        try {
            if (version < 0) {
                client.create().creatingParentsIfNeeded().forPath(node, document);
                version = 0;
            } else {
                version = client.setData().withVersion(version).forPath(node, document).getVersion();
            }
        } catch (KeeperException.BadVersionException | KeeperException.NodeExistsException e) {
            throw new IllegalStateException("another writer changed " + describe() + " since this scheduler last "
                    + "read or wrote it: is a second service scheduler using the same --zk node? Stop one of them", e);
        } catch (KeeperException.NoNodeException e) {
            throw new IllegalStateException(describe() + " was deleted while this scheduler was using it", e);
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
