package io.tandem.api;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Where the masters of a highly available cluster meet: {@code zk://host:port[,host:port...]/path}, as
 * Mesos writes its {@code --zk} flag. The masters' leader election and registry live under
 * {@link #path()} on the ZooKeeper ensemble {@link #connectString()}.
 *
 * @param connectString the ensemble as ZooKeeper clients take it, {@code h1:2181,h2:2181}
 * @param path the znode under which this cluster keeps its nodes, such as {@code /tandem}
 */
public record ZooKeeperUrl(String connectString, String path) {
    public static final String SCHEME = "zk://";

    public ZooKeeperUrl {
        if (connectString == null || connectString.isBlank()) {
            throw new IllegalArgumentException("a ZooKeeper URL needs at least one host:port");
        }
        if (path == null || !path.startsWith("/") || path.length() < 2 || path.endsWith("/") || path.contains("//")) {
            throw new IllegalArgumentException("ZooKeeper path '" + path + "' must look like /tandem");
        }
    }

    /** Whether {@code text} is a {@code zk://} URL (rather than a list of HTTP masters). */
    public static boolean isZooKeeper(String text) {
        return text != null && text.strip().regionMatches(true, 0, SCHEME, 0, SCHEME.length());
    }

    /** {@code text} as a ZooKeeper URL when it is one, else empty. */
    public static Optional<ZooKeeperUrl> find(String text) {
        return isZooKeeper(text) ? Optional.of(parse(text)) : Optional.empty();
    }

    /**
     * Parses {@code zk://h1:2181,h2:2181/tandem}.
     *
     * @throws IllegalArgumentException naming what is wrong: another scheme, no path, a host without
     *     a port or a port that is not a number
     */
    public static ZooKeeperUrl parse(String text) {
        String url = text == null ? "" : text.strip();
        if (!isZooKeeper(url)) {
            throw new IllegalArgumentException("'" + text + "' is not a ZooKeeper URL; expected zk://host:port[,host:port]/path");
        }
        String rest = url.substring(SCHEME.length());
        int slash = rest.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("ZooKeeper URL '" + text + "' has no path; expected zk://host:port/path");
        }
        List<String> hosts = Arrays.stream(rest.substring(0, slash).split(",")).map(String::strip).toList();
        for (String host : hosts) {
            checkHost(text, host);
        }
        return new ZooKeeperUrl(String.join(",", hosts), rest.substring(slash));
    }

    private static void checkHost(String url, String host) {
        int colon = host.lastIndexOf(':');
        if (host.isEmpty() || colon <= 0 || colon == host.length() - 1) {
            throw new IllegalArgumentException("ZooKeeper URL '" + url + "': '" + host + "' must be host:port");
        }
        String port = host.substring(colon + 1);
        if (port.length() > 5 || !port.chars().allMatch(Character::isDigit) || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65_535) {
            throw new IllegalArgumentException("ZooKeeper URL '" + url + "': port '" + port + "' of '" + host
                    + "' is not a port number");
        }
    }

    /**
     * Where the masters run their election: one ephemeral sequential node per master (Curator's
     * LeaderLatch), holding the master's {@code MasterInfo} as Mesos JSON; the lowest sequence leads.
     */
    public String leaderPath() {
        return path + "/leader";
    }

    /** Where the leading master keeps the registry (what must survive a failover). */
    public String registryPath() {
        return path + "/registry";
    }

    @Override
    public String toString() {
        return SCHEME + connectString + path;
    }
}
