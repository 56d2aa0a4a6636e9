package io.tandem.master.registry;

import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/**
 * The registry of a highly available cluster: one znode holding the {@link RegistryState} as JSON.
 * Every write names the znode version this master last saw ({@code setData().withVersion}), so a
 * master that still thinks it leads after another took over gets a conflict instead of overwriting
 * the new leader's registry. ZooKeeper keeps a znode under 1 MB: about 5,000 agents' entries.
 */
public final class ZooKeeperRegistry implements Registry {
    /** No znode yet: the first store creates it (and fails if someone else did first). */
    private static final int ABSENT = -1;

    private final CuratorFramework client;
    private final String path;
    private int version = ABSENT;

    public ZooKeeperRegistry(CuratorFramework client, String path) {
        this.client = client;
        this.path = path;
    }

    @Override
    public RegistryState load() throws RegistryException {
        Stat stat = new Stat();
        byte[] data;
        try {
            data = client.getData().storingStatIn(stat).forPath(path);
        } catch (KeeperException.NoNodeException e) {
            version = ABSENT;
            return RegistryState.empty();
        } catch (Exception e) {
            throw new RegistryException("cannot read the registry " + describe() + ": " + e, e);
        }
        version = stat.getVersion();
        return RegistryState.fromJson(data, describe());
    }

    @Override
    public void store(RegistryState state) throws RegistryException {
        byte[] json = state.toJson();
        try {
            if (version == ABSENT) {
                client.create().creatingParentsIfNeeded().forPath(path, json);
                version = 0;
            } else {
                version = client.setData().withVersion(version).forPath(path, json).getVersion();
            }
        } catch (KeeperException.BadVersionException | KeeperException.NodeExistsException e) {
            throw RegistryException.conflict("another master wrote the registry " + describe()
                    + " since this one read it: this master no longer leads");
        } catch (Exception e) {
            throw new RegistryException("cannot write the registry " + describe() + ": " + e, e);
        }
    }

    /** How many bytes the registry znode holds now (0 when absent or unreadable); one cheap ZooKeeper read. */
    public long storedBytes() {
        try {
            Stat stat = client.checkExists().forPath(path);
            return stat == null ? 0 : stat.getDataLength();
        } catch (Exception e) {
            return 0;
        }
    }

    @Override
    public String describe() {
        return client.getZookeeperClient().getCurrentConnectionString() + path;
    }
}
