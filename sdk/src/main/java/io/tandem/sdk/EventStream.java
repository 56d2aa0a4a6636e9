package io.tandem.sdk;

import io.tandem.api.MediaType;
import io.tandem.api.RecordIo;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * One streaming response of a Mesos v1 SUBSCRIBE call: the HTTP status and headers, then the body
 * read as RecordIO records. The body is read incrementally ({@code BodyHandlers.ofInputStream}),
 * because the stream never ends while the subscription lives.
 *
 * <p>{@link #next()} is called by one reader thread; {@link #close()} may be called from any thread
 * and makes a blocked {@code next()} return (end of stream) or throw.
 */
final class EventStream implements Closeable {
    /** An error body longer than this is cut; it is only shown to people. */
    private static final int MAX_ERROR_BYTES = 8 * 1024;

    private final HttpResponse<InputStream> response;
    private final RecordIo.Reader reader;

    private EventStream(HttpResponse<InputStream> response) {
        this.response = response;
        this.reader = new RecordIo.Reader(response.body());
    }

    /**
     * POSTs {@code body} and waits for the response headers (at most {@code headersTimeout}).
     *
     * @throws IOException when the server cannot be reached or does not answer in time
     */
    static EventStream open(HttpClient client, URI uri, MediaType type, byte[] body, Duration headersTimeout)
            throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri)
                .header("Content-Type", type.mime())
                .header("Accept", type.mime())
                .timeout(headersTimeout)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        return new EventStream(client.send(request, HttpResponse.BodyHandlers.ofInputStream()));
    }

    int status() {
        return response.statusCode();
    }

    Optional<String> header(String name) {
        return response.headers().firstValue(name);
    }

    URI uri() {
        return response.uri();
    }

    /** The body of an error response as text, cut to a readable length; closes the stream. */
    String errorText() {
        try (InputStream in = response.body()) {
            return new String(in.readNBytes(MAX_ERROR_BYTES), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "(could not read the response body: " + e.getMessage() + ")";
        }
    }

    /** The next record, or {@code null} when the server ended the stream cleanly. */
    byte[] next() throws IOException {
        return reader.next();
    }

    @Override
    public void close() {
        try {
            response.body().close();
        } catch (IOException e) {
            // Closing only releases the connection; there is nothing left to report.
        }
    }
}
