package io.tandem.master;

import io.tandem.api.MediaType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.mesos.v1.master.Protos.Call;
import org.apache.mesos.v1.master.Protos.Response;

/** A real {@link Master} on an ephemeral port with a hand-moved clock, plus an operator API client. */
final class RunningMaster implements AutoCloseable {
    final TestClock clock = new TestClock();
    final MasterConfig config;
    final Master master;
    private final HttpClient client = HttpClient.newHttpClient();

    RunningMaster(Path dir) {
        this(LoopDriver.config(dir).withAgentTimeouts(Duration.ofSeconds(1), Duration.ofHours(1)));
    }

    RunningMaster(MasterConfig config) {
        this.config = config;
        this.master = Master.start(config, clock);
    }

    URI url() {
        return master.url();
    }

    Response operator(Call.Type type, MediaType media) {
        HttpResponse<byte[]> response = operatorRaw(media.encode(Call.newBuilder().setType(type).build()), media);
        if (response.statusCode() != 200) {
            throw new IllegalStateException("operator call " + type + " answered " + response.statusCode() + ": "
                    + new String(response.body(), java.nio.charset.StandardCharsets.UTF_8));
        }
        return media.decode(response.body(), Response.newBuilder()).build();
    }

    Response.GetTasks tasks() {
        return operator(Call.Type.GET_TASKS, MediaType.JSON).getGetTasks();
    }

    Response.GetFrameworks frameworks() {
        return operator(Call.Type.GET_FRAMEWORKS, MediaType.JSON).getGetFrameworks();
    }

    HttpResponse<byte[]> operatorRaw(byte[] body, MediaType media) {
        return send(HttpRequest.newBuilder(url().resolve(OperatorApi.PATH)).header("Content-Type", media.mime())
                .header("Accept", media.mime()).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    HttpResponse<byte[]> get(String path) {
        return send(HttpRequest.newBuilder(url().resolve(path)).GET().build());
    }

    private HttpResponse<byte[]> send(HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        master.close();
        client.shutdownNow();
    }
}
