package io.tandem.cli;

import io.tandem.api.ZooKeeperUrl;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * One request to a master from an operator command ({@code state}, {@code roles}): the master named
 * by {@code --master} as {@code host:port} or a URL, a standby's redirect followed, anything but 200
 * an {@link IOException} that carries the master's own words.
 */
final class MasterQuery {
    private final URI base;
    private final Duration timeout;

    private MasterQuery(URI base, Duration timeout) {
        this.base = base;
        this.timeout = timeout;
    }

    /** {@code host:5050} and {@code http://host:5050/} both work; anything else is a usage error of {@code command}. */
    static MasterQuery of(String master, Duration timeout, CommandLine command) {
        String url = master.strip();
        if (ZooKeeperUrl.isZooKeeper(url)) {
            return new MasterQuery(leaderOf(url, timeout, command), timeout);
        }
        URI uri;
        try {
            uri = URI.create(url.contains("://") ? url : "http://" + url);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(command, "--master '" + master + "' is not a URL");
        }
        if (uri.getHost() == null) {
            throw new ParameterException(command, "--master '" + master + "' names no host");
        }
        return new MasterQuery(uri, timeout);
    }

    /** {@code --master zk://...}: the leader ZooKeeper names (waiting up to {@code timeout} for one). */
    private static URI leaderOf(String url, Duration timeout, CommandLine command) {
        ZooKeeperUrl zk;
        try {
            zk = ZooKeeperUrl.parse(url);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(command, "--master: " + e.getMessage());
        }
        try {
            return LeaderLookup.await(zk, timeout);
        } catch (IOException e) {
            throw new ParameterException(command, "--master: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ParameterException(command, "--master: interrupted while looking for the leader");
        }
    }

    /** The master's URL with {@code path} instead of whatever path {@code --master} had. */
    URI at(String path) {
        return URI.create(base.getScheme() + "://" + base.getRawAuthority() + path);
    }

    /** {@code --master}'s own path when it has one (a proxy's prefix), else {@code path}. */
    URI atOrOwn(String path) {
        String own = base.getPath();
        return own == null || own.isEmpty() || own.equals("/") ? at(path) : base;
    }

    String get(URI uri) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri).GET());
    }

    String postJson(URI uri, String json) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    private String send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NORMAL).connectTimeout(timeout).build();
        HttpResponse<String> response = client.send(request.timeout(timeout).header("Accept", "application/json").build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            String text = response.body().strip();
            throw new IOException("the master answered " + response.statusCode() + (text.isEmpty() ? "" : ": " + text));
        }
        return response.body();
    }

    /** What went wrong, for a person: "connection refused" rather than a bare exception name. */
    static String describe(IOException e) {
        String message = e.getMessage();
        if (e instanceof ConnectException) {
            return "connection refused" + (message == null || message.isBlank() ? "" : " (" + message + ")");
        }
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }
}
