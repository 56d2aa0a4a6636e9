package io.tandem.sdk;

import java.net.URI;
import java.util.List;

/**
 * The masters a driver may subscribe with and the one it uses now. A driver tries the listed masters
 * in turn; a non-leading master answers {@code 307} with the leader in {@code Location}, which then
 * becomes the current endpoint until the connection is lost.
 *
 * <p>Mutated only by the subscription thread; {@link #current()} may be read from any thread.
 */
final class MasterEndpoints {
    private final List<URI> masters;
    private final String apiPath;
    private int index;
    private volatile URI current;

    MasterEndpoints(List<String> urls, String apiPath) {
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("at least one master URL is needed");
        }
        this.apiPath = apiPath;
        this.masters = urls.stream().map(url -> endpoint(url, apiPath)).toList();
        this.current = masters.get(0);
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

    URI current() {
        return current;
    }

    /** Moves on to the next listed master, after this one failed or had no leader. */
    void advance() {
        index = (index + 1) % masters.size();
        current = masters.get(index);
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
        return masters.toString();
    }
}
