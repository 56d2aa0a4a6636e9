package io.tandem.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Reads a file of an agent's sandboxes through the agent's file API ({@code GET /files/read}),
 * never from the local disk. Thread-safe.
 */
final class AgentFiles {
    /** What one read asks for; the agent caps a read at 1 MiB anyway. */
    static final long CHUNK = 1024 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The file is not there (yet, or any more). */
    static final class Missing extends IOException {
        Missing(String message) {
            super(message);
        }
    }

    private final URI agent;
    private final Duration timeout;
    private final HttpClient http;

    AgentFiles(URI agent, Duration timeout) {
        this.agent = agent;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
    }

    /** Text from byte {@code offset}; empty at the end of the file. */
    String read(String path, long offset) throws IOException, InterruptedException {
        return get(path, offset, CHUNK).path("data").asText();
    }

    /** The file's size in bytes. */
    long size(String path) throws IOException, InterruptedException {
        return get(path, -1, -1).path("offset").asLong();
    }

    private JsonNode get(String path, long offset, long length) throws IOException, InterruptedException {
        URI uri = URI.create(agent + "/files/read?path=" + URLEncoder.encode(path, StandardCharsets.UTF_8)
                + "&offset=" + offset + (length >= 0 ? "&length=" + length : ""));
        HttpResponse<String> response;
        try {
            response = http.send(HttpRequest.newBuilder(uri).timeout(timeout).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new IOException("cannot reach the agent at " + agent + ": connection refused", e);
        } catch (java.net.http.HttpTimeoutException e) {
            throw new IOException("the agent at " + agent + " did not answer within " + timeout.toMillis() + "ms", e);
        }
        if (response.statusCode() == 404) {
            throw new Missing(response.body().strip());
        }
        if (response.statusCode() != 200) {
            throw new IOException("the agent at " + agent + " answered " + response.statusCode() + ": "
                    + response.body().strip());
        }
        return JSON.readTree(response.body());
    }

    /** How far {@code text} moves the offset: the agent's data is whole UTF-8 characters, one per stray byte. */
    static long bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }
}
