package io.tandem.sdk;

import io.tandem.api.MediaType;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends non-streaming calls (everything but SUBSCRIBE) on connections of their own, as the Mesos
 * HTTP APIs require. {@code 202 Accepted} (or {@code 200 OK}) completes the future; any other status
 * fails it with a {@link CallRejectedException} carrying the server's text; a transport failure fails
 * it with the {@link java.io.IOException}. It sends each call at once; the drivers put it behind a
 * {@link CallQueue} so that their calls arrive in order.
 *
 * <p>Thread-safe.
 */
final class CallPoster {
    private static final Logger LOG = LoggerFactory.getLogger(CallPoster.class);

    private final HttpClient client;
    private final MediaType type;
    private final Duration timeout;

    CallPoster(HttpClient client, MediaType type, Duration timeout) {
        this.client = client;
        this.type = type;
        this.timeout = timeout;
    }

    MediaType type() {
        return type;
    }

    CompletableFuture<Void> post(URI uri, String callName, com.google.protobuf.Message call,
                                 Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .header("Content-Type", type.mime())
                .header("Accept", type.mime())
                .timeout(timeout)
                .POST(HttpRequest.BodyPublishers.ofByteArray(type.encode(call)));
        headers.forEach(request::header);
        LOG.debug("{} -> {}", callName, uri);
        CompletableFuture<Void> result = new CompletableFuture<>();
        client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString())
                .whenComplete((response, failure) -> {
                    if (failure != null) {
                        result.completeExceptionally(new IOException(
                                callName + " to " + uri + " failed: " + describe(failure), unwrap(failure)));
                    } else if (response.statusCode() == 202 || response.statusCode() == 200) {
                        result.complete(null);
                    } else {
                        result.completeExceptionally(
                                new CallRejectedException(callName, response.statusCode(), response.body()));
                    }
                });
        return result;
    }

    private static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }

    /** A transport failure in words; a refused connection has no message of its own. */
    static String describe(Throwable failure) {
        Throwable cause = unwrap(failure);
        String message = cause.getMessage();
        return message == null || message.isBlank() ? cause.getClass().getSimpleName() : message;
    }
}
