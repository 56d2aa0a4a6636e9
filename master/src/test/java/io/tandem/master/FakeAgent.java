package io.tandem.master;

import io.tandem.api.RecordIo;
import io.tandem.api.agent.AgentCall;
import io.tandem.api.agent.AgentEvent;
import io.tandem.api.agent.AgentProtocol;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.mesos.v1.Protos;

/** An agent that speaks {@code /internal/agent} over real HTTP and records the events it gets; it runs nothing. */
final class FakeAgent implements AutoCloseable {
    private final HttpClient client = HttpClient.newHttpClient();
    private final URI endpoint;
    private final List<AgentEvent> events = new CopyOnWriteArrayList<>();
    private volatile InputStream stream;
    private volatile String streamId;
    private volatile int subscribeStatus;
    private volatile String refusal = "";
    private volatile boolean streamEnded;

    FakeAgent(URI master) {
        this.endpoint = master.resolve(AgentProtocol.PATH);
    }

    FakeAgent subscribe(Protos.AgentInfo info) {
        try {
            HttpRequest request = HttpRequest.newBuilder(endpoint).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(AgentProtocol.encode(
                            new AgentCall.Subscribe(info, List.of(), List.of(), List.of()))))
                    .build();
            HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            subscribeStatus = response.statusCode();
            if (subscribeStatus != 200) {
                refusal = new String(response.body().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                return this;
            }
            streamId = response.headers().firstValue(AgentProtocol.STREAM_ID_HEADER).orElseThrow();
            stream = response.body();
            Thread.ofVirtual().name("test-agent-reader").start(this::read);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void read() {
        RecordIo.Reader reader = new RecordIo.Reader(stream);
        try {
            for (byte[] record = reader.next(); record != null; record = reader.next()) {
                events.add(AgentProtocol.decodeEvent(record));
            }
        } catch (IOException e) {
            // closed
        }
        streamEnded = true;
    }

    /** Whether the master ended the stream (or it broke). */
    boolean streamEnded() {
        return streamEnded;
    }

    HttpResponse<String> send(AgentCall call) {
        try {
            HttpRequest request = HttpRequest.newBuilder(endpoint).header("Content-Type", "application/json")
                    .header(AgentProtocol.STREAM_ID_HEADER, streamId)
                    .header(AgentProtocol.AGENT_ID_HEADER, agentId().getValue())
                    .POST(HttpRequest.BodyPublishers.ofByteArray(AgentProtocol.encode(call)))
                    .build();
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<String> update(Protos.FrameworkID framework, Protos.TaskStatus status) {
        return send(new AgentCall.Update(status, framework));
    }

    HttpResponse<String> report() {
        return send(new AgentCall.Report(List.of()));
    }

    boolean subscribed() {
        return !eventsOf(AgentEvent.Subscribed.class).isEmpty();
    }

    Protos.AgentID agentId() {
        return eventsOf(AgentEvent.Subscribed.class).getFirst().agentId();
    }

    int subscribeStatus() {
        return subscribeStatus;
    }

    String refusal() {
        return refusal;
    }

    <T extends AgentEvent> List<T> eventsOf(Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    @Override
    public void close() {
        try {
            if (stream != null) {
                stream.close();
            }
        } catch (IOException e) {
            // already closed
        }
        client.shutdownNow();
    }
}
