package io.tandem.testkit;

import io.tandem.api.MediaType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.master.Protos.Call;
import org.apache.mesos.v1.master.Protos.Response;

/**
 * A small client of the master's operator API ({@code POST /api/v1}), for tests. Speaks protobuf,
 * so what it reads is exactly what the master built. Thread-safe.
 *
 * <pre>{@code
 * OperatorClient operator = new OperatorClient(cluster.masterUrl());
 * List<Protos.Task> running = operator.tasks().getTasksList();
 * }</pre>
 */
public final class OperatorClient implements AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final URI endpoint;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT).build();

    /** @param masterUrl the master's base URL, {@code http://host:port} */
    public OperatorClient(URI masterUrl) {
        this.endpoint = masterUrl.resolve("/api/v1");
    }

    /**
     * Sends a call without arguments (GET_STATE, GET_TASKS, GET_AGENTS, GET_FRAMEWORKS, GET_ROLES,
     * GET_HEALTH, ...) and returns the master's answer.
     *
     * @throws IllegalStateException when the master answers anything but 200, with its text
     */
    public Response call(Call.Type type) {
        byte[] body = MediaType.PROTOBUF.encode(Call.newBuilder().setType(type).build());
        HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(TIMEOUT)
                .header("Content-Type", MediaType.PROTOBUF.mime())
                .header("Accept", MediaType.PROTOBUF.mime())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        HttpResponse<byte[]> response = send(request);
        if (response.statusCode() != 200) {
            throw new IllegalStateException("operator call " + type + " answered " + response.statusCode() + ": "
                    + new String(response.body(), StandardCharsets.UTF_8));
        }
        return MediaType.PROTOBUF.decode(response.body(), Response.newBuilder()).build();
    }

    public Response.GetState state() {
        return call(Call.Type.GET_STATE).getGetState();
    }

    public Response.GetTasks tasks() {
        return call(Call.Type.GET_TASKS).getGetTasks();
    }

    public Response.GetAgents agents() {
        return call(Call.Type.GET_AGENTS).getGetAgents();
    }

    public Response.GetFrameworks frameworks() {
        return call(Call.Type.GET_FRAMEWORKS).getGetFrameworks();
    }

    public Response.GetRoles roles() {
        return call(Call.Type.GET_ROLES).getGetRoles();
    }

    public boolean healthy() {
        return call(Call.Type.GET_HEALTH).getGetHealth().getHealthy();
    }

    /**
     * The master's view of one of a framework's active tasks (listed, or unreachable; not completed);
     * null when there is none by that id.
     */
    public Protos.Task task(Protos.FrameworkID frameworkId, Protos.TaskID taskId) {
        Response.GetTasks all = tasks();
        List<Protos.Task> matches = java.util.stream.Stream.concat(all.getTasksList().stream(),
                        all.getUnreachableTasksList().stream())
                .filter(t -> t.getFrameworkId().equals(frameworkId) && t.getTaskId().equals(taskId)).toList();
        return matches.isEmpty() ? null : matches.getFirst();
    }

    private HttpResponse<byte[]> send(HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException("operator call to " + endpoint + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while calling " + endpoint, e);
        }
    }

    @Override
    public void close() {
        client.shutdownNow();
    }
}
