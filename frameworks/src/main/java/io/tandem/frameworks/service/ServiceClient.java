package io.tandem.frameworks.service;

import io.tandem.frameworks.common.SchedulerRefusal;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * A client of the service scheduler's HTTP API ({@link ServiceHttpApi}), used by {@code tandem service}
 * and tests. Errors the scheduler reports (a bad app file, an unknown app) are thrown as
 * {@link SchedulerRefusal} with the scheduler's words; a scheduler that cannot be reached as
 * {@link IllegalStateException} naming the URL.
 */
public final class ServiceClient {
    private static final ObjectMapper JSON = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final Duration TIMEOUT = Duration.ofSeconds(40);
    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    public ServiceClient(URI base) {
        String text = base.toString();
        this.base = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
    }

    /** Deploys an app file's text; {@code origin} (e.g. the file name) names it in errors. */
    public AppStatus deploy(String appFile, String origin) {
        String query = "?origin=" + URLEncoder.encode(origin, StandardCharsets.UTF_8);
        return send(HttpRequest.newBuilder(uri("/v1/apps" + query)).POST(HttpRequest.BodyPublishers.ofString(appFile)),
                new TypeReference<>() {});
    }

    public AppStatus scale(String app, int instances) {
        return send(HttpRequest.newBuilder(uri("/v1/apps/" + app + "/instances"))
                .PUT(HttpRequest.BodyPublishers.ofString("{\"instances\":" + instances + "}")), new TypeReference<>() {});
    }

    public AppStatus status(String app) {
        return send(HttpRequest.newBuilder(uri("/v1/apps/" + app)).GET(), new TypeReference<>() {});
    }

    public List<AppStatus> statuses() {
        return send(HttpRequest.newBuilder(uri("/v1/apps")).GET(), new TypeReference<>() {});
    }

    /** Removes the app; returns how many instances are being killed. */
    public int remove(String app) {
        JsonNode answer = send(HttpRequest.newBuilder(uri("/v1/apps/" + app)).DELETE(), new TypeReference<>() {});
        return answer.path("killing").asInt();
    }

    private URI uri(String path) {
        return URI.create(base + path);
    }

    private <T> T send(HttpRequest.Builder request, TypeReference<T> type) {
        HttpResponse<String> response;
        try {
            response = http.send(request.timeout(TIMEOUT).header("Content-Type", "application/json").build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("cannot reach the service scheduler at " + base + " ("
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
                    + "); is `tandem service serve` running? (--scheduler or TANDEM_SERVICE_SCHEDULER)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        try {
            if (response.statusCode() / 100 != 2) {
                JsonNode error = JSON.readTree(response.body()).path("error");
                String text = error.isMissingNode() ? response.body() : error.asText();
                if (response.statusCode() / 100 == 4) {
                    throw new SchedulerRefusal(response.statusCode(), text);
                }
                throw new IllegalStateException("the service scheduler failed (" + response.statusCode() + "): " + text);
            }
            return JSON.readValue(response.body(), type);
        } catch (IOException e) {
            throw new IllegalStateException("unreadable answer from " + base + ": " + response.body(), e);
        }
    }
}
