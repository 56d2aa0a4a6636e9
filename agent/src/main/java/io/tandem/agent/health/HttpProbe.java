package io.tandem.agent.health;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.apache.mesos.v1.Protos.HealthCheck;

/**
 * GETs {@code scheme://127.0.0.1:port/path}: a status from 200 to 399 is healthy, as in Mesos's
 * built-in executors ({@code statuses} is ignored there too). The JDK's HTTP client is enough for
 * one GET and adds no dependency.
 */
public final class HttpProbe implements Probe {
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(30))
            .build();

    private final URI uri;
    private final Duration timeout;

    public HttpProbe(HealthCheck.HTTPCheckInfo http, Duration timeout) {
        String scheme = http.hasScheme() ? http.getScheme() : "http";
        String path = http.hasPath() ? http.getPath() : "/";
        this.uri = URI.create(scheme + "://127.0.0.1:" + http.getPort() + path);
        this.timeout = timeout;
    }

    @Override
    public CompletableFuture<Outcome> run() {
        // The request's own timeout is a backstop; the HealthChecker abandons the attempt on time.
        HttpRequest request = HttpRequest.newBuilder(uri).GET().timeout(timeout.plusSeconds(1)).build();
        CompletableFuture<HttpResponse<Void>> response = CLIENT.sendAsync(request, HttpResponse.BodyHandlers.discarding());
        CompletableFuture<Outcome> outcome = response.handle((answer, error) -> {
            if (answer == null) {
                return Outcome.unhealthy("GET " + uri + " failed: " + describe(error));
            }
            int status = answer.statusCode();
            return status >= 200 && status < 400 ? Outcome.healthy("GET " + uri + " answered " + status)
                    : Outcome.unhealthy("GET " + uri + " answered " + status);
        });
        outcome.whenComplete((done, error) -> response.cancel(true));
        return outcome;
    }

    static String describe(Throwable error) {
        Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                ? error.getCause() : error;
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }
}
