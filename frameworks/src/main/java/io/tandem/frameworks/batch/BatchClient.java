package io.tandem.frameworks.batch;

import io.tandem.frameworks.common.SchedulerRefusal;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * A client of the batch scheduler's HTTP API (see {@link BatchServer}), used by {@code tandem batch}.
 * Refusals (4xx) come back as {@link SchedulerRefusal} with the scheduler's own words.
 */
public final class BatchClient implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1).build();

    public BatchClient(URI base) {
        this.base = URI.create(base.toString().replaceAll("/+$", ""));
    }

    /** Posts a job file; returns the started job's status. */
    public JobStatus submit(String jobFile) throws IOException {
        return JSON.readValue(call("POST", "/jobs", jobFile, 201), JobStatus.class);
    }

    public JobStatus status(String jobId) throws IOException {
        return JSON.readValue(call("GET", "/jobs/" + jobId, null, 200), JobStatus.class);
    }

    public List<JobStatus> jobs() throws IOException {
        return JSON.readValue(call("GET", "/jobs", null, 200), new TypeReference<List<JobStatus>>() {});
    }

    public JobStatus cancel(String jobId) throws IOException {
        return JSON.readValue(call("DELETE", "/jobs/" + jobId, null, 200), JobStatus.class);
    }

    private String call(String method, String path, String body, int expected) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/yaml")
                .build();
        HttpResponse<String> answer;
        try {
            answer = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new IOException("no batch scheduler at " + base + " (start one with: tandem batch serve --master URL)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (answer.statusCode() == expected) {
            return answer.body();
        }
        if (answer.statusCode() / 100 == 4) {
            throw new SchedulerRefusal(answer.statusCode(), answer.body().strip());
        }
        throw new IOException("the batch scheduler at " + base + " answered " + answer.statusCode() + ": " + answer.body().strip());
    }

    @Override
    public void close() {
        http.close();
    }
}
