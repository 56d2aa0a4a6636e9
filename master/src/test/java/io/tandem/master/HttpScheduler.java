package io.tandem.master;

import io.tandem.api.MediaType;
import io.tandem.api.RecordIo;
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
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;

/**
 * A scheduler speaking the Mesos v1 scheduler API over real HTTP (java.net.http), in JSON or
 * protobuf, recording the events of its subscription on a thread of its own.
 */
final class HttpScheduler implements AutoCloseable {
    private final HttpClient client = HttpClient.newHttpClient();
    private final URI endpoint;
    private final MediaType type;
    private final List<Event> events = new CopyOnWriteArrayList<>();
    private volatile InputStream stream;
    private volatile String streamId;
    private volatile int subscribeStatus;
    private volatile boolean ended;

    HttpScheduler(URI master, MediaType type) {
        this.endpoint = master.resolve(SchedulerApiServlet.PATH);
        this.type = type;
    }

    /** Sends SUBSCRIBE and reads its stream in the background; returns once the response headers arrived. */
    HttpScheduler subscribe(Protos.FrameworkInfo info) {
        try {
            HttpResponse<InputStream> response = client.send(request(Protobufs.subscribe(info), null),
                    HttpResponse.BodyHandlers.ofInputStream());
            subscribeStatus = response.statusCode();
            streamId = response.headers().firstValue("Mesos-Stream-Id").orElse(null);
            stream = response.body();
            Thread.ofVirtual().name("test-scheduler-reader").start(this::read);
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
                events.add(type.decode(record, Event.newBuilder()).build());
            }
        } catch (IOException e) {
            // the stream was closed by the test or the master
        } finally {
            ended = true;
        }
    }

    HttpResponse<String> call(Call call) {
        return send(request(call, streamId));
    }

    HttpResponse<String> call(Call call, String withStreamId) {
        return send(request(call, withStreamId));
    }

    /** Posts raw bytes, for malformed requests. */
    HttpResponse<String> post(byte[] body, String contentType) {
        return send(HttpRequest.newBuilder(endpoint).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    private HttpRequest request(Call call, String withStreamId) {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
                .header("Content-Type", type.mime())
                .header("Accept", type.mime())
                .POST(HttpRequest.BodyPublishers.ofByteArray(type.encode(call)));
        if (withStreamId != null) {
            request.header("Mesos-Stream-Id", withStreamId);
        }
        return request.build();
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    int subscribeStatus() {
        return subscribeStatus;
    }

    String streamId() {
        return streamId;
    }

    boolean streamEnded() {
        return ended;
    }

    List<Event> events() {
        return List.copyOf(events);
    }

    List<Event> eventsOf(Event.Type type) {
        return events.stream().filter(e -> e.getType() == type).toList();
    }

    Protos.FrameworkID frameworkId() {
        return eventsOf(Event.Type.SUBSCRIBED).getFirst().getSubscribed().getFrameworkId();
    }

    List<Protos.Offer> offers() {
        return eventsOf(Event.Type.OFFERS).stream().flatMap(e -> e.getOffers().getOffersList().stream()).toList();
    }

    List<Protos.TaskStatus> updates() {
        return eventsOf(Event.Type.UPDATE).stream().map(e -> e.getUpdate().getStatus()).toList();
    }

    /** Drops the subscription's connection, as a crashed scheduler would. */
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
