package io.tandem.sdk;

import io.tandem.api.ZooKeeperUrl;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * The masters a driver may subscribe with and the one it uses now. A driver tries the listed masters
 * in turn; a non-leading master answers {@code 307} with the leader in {@code Location}, which then
 * becomes the current endpoint until the connection is lost. Given one {@code zk://} URL instead, the
 * current endpoint is the leader that a {@link ZooKeeperMasterDetector} reads from ZooKeeper, read
 * again each time the driver moves on.
 *
 * <p>Mutated only by the subscription thread; {@link #current()} may be read from any thread.
 */
final class MasterEndpoints implements AutoCloseable {
    private final List<URI> masters;
    private final Optional<ZooKeeperMasterDetector> detector;
    private final String apiPath;
    private int index;
    private volatile URI current;

    MasterEndpoints(List<String> urls, String apiPath) {
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("at least one master URL is needed");
        }
        this.apiPath = apiPath;
        if (urls.stream().anyMatch(ZooKeeperUrl::isZooKeeper)) {
            if (urls.size() != 1) {
                throw new IllegalArgumentException("a zk:// URL names every master; give it alone, not with " + urls);
            }
            this.masters = List.of();
            this.detector = Optional.of(ZooKeeperMasterDetector.connect(ZooKeeperUrl.parse(urls.get(0))));
        } else {
            this.masters = urls.stream().map(url -> endpoint(url, apiPath)).toList();
            this.detector = Optional.empty();
            this.current = masters.get(0);
        }
    }

    /**
     * The API endpoint for a master URL: {@code host:5050}, {@code http://host:5050} and
     * {@code http://host:5050/api/v1/scheduler} all name the same endpoint.
     */
    static URI endpoint(String url, String apiPath) {
        String trimmed = url.strip();
        if (trimmed.isEmpty()) {
            throw new IllegalArgumentException("empty master URL");
        }
        URI uri = URI.create(trimmed.contains("://") ? trimmed : "http://" + trimmed);
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("master URL '" + url + "' names no host");
        }
        String path = uri.getPath() == null || uri.getPath().isEmpty() || uri.getPath().equals("/")
                ? apiPath : uri.getPath();
        return URI.create(uri.getScheme() + "://" + uri.getRawAuthority() + path);
    }

    /**
     * The endpoint to use now; with a {@code zk://} URL, {@code null} while ZooKeeper names no leader
     * (asked again on each call until it does).
     */
    URI current() {
        URI now = current;
        if (now == null && detector.isPresent()) {
            now = locate();
        }
        return now;
    }

    /** Moves on to the next listed master (or asks ZooKeeper again), after this one failed or had no leader. */
    void advance() {
        if (detector.isPresent()) {
            locate();
            return;
        }
        index = (index + 1) % masters.size();
        current = masters.get(index);
    }

    private URI locate() {
        URI leader = detector.orElseThrow().leader().map(url -> endpoint(url.toString(), apiPath)).orElse(null);
        current = leader;
        return leader;
    }

    /**
     * Follows a {@code 307}. Mesos writes the leader as {@code //host:port}, sometimes with the path,
     * and its documentation shows a bare {@code host:port}; all are accepted.
     */
    URI redirect(String location) {
        String loc = location.strip();
        URI from = current;
        String absolute;
        if (loc.startsWith("//")) {
            absolute = from.getScheme() + ":" + loc;
        } else if (loc.contains("://")) {
            absolute = loc;
        } else if (loc.startsWith("/")) {
            absolute = from.resolve(loc).toString();
        } else {
            absolute = from.getScheme() + "://" + loc;
        }
        current = endpoint(absolute, apiPath);
        return current;
    }

    @Override
    public String toString() {
        return detector.map(Object::toString).orElseGet(masters::toString);
    }

    @Override
    public void close() {
        detector.ifPresent(ZooKeeperMasterDetector::close);
    }
}
