package io.tandem.agent;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.tandem.api.RecordIo;
import io.tandem.api.agent.AgentCall;
import io.tandem.api.agent.AgentEvent;
import io.tandem.api.agent.AgentProtocol;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.mesos.v1.Protos.AgentID;

/**
 * Just enough of a master for the agent: answers SUBSCRIBE on {@code /internal/agent} with a
 * RecordIO stream (SUBSCRIBED, then whatever the test {@link #send}s) and records every call.
 */
final class FakeMaster implements AutoCloseable {
    /** A call with the stream id it carried. */
    record Received(AgentCall call, String streamId, String agentId) {}

    private static final AgentEvent END = new AgentEvent.Heartbeat();

    final List<Received> received = new CopyOnWriteArrayList<>();
    private final HttpServer server;
    private final AtomicInteger streams = new AtomicInteger();
    private volatile BlockingQueue<AgentEvent> current;
    private final String agentId;
    private final double reportIntervalSeconds;
    private final double agentTimeoutSeconds;

    FakeMaster(String agentId, double reportIntervalSeconds) throws IOException {
        this(agentId, reportIntervalSeconds, 60);
    }

    /** {@code agentTimeoutSeconds} is what SUBSCRIBED tells the agent; this master never heartbeats. */
    FakeMaster(String agentId, double reportIntervalSeconds, double agentTimeoutSeconds) throws IOException {
        this.agentId = agentId;
        this.reportIntervalSeconds = reportIntervalSeconds;
        this.agentTimeoutSeconds = agentTimeoutSeconds;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext(AgentProtocol.PATH, this::handle);
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Pushes an event on the agent's current stream, once the agent has one. */
    void send(AgentEvent event) {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> current != null);
        current.add(event);
    }

    /** Ends the current stream, as a failing master or network would. */
    void dropStream() {
        BlockingQueue<AgentEvent> events = current;
        current = null;
        events.add(END);
    }

    boolean connected() {
        return current != null;
    }

    int subscriptions() {
        return streams.get();
    }

    <T extends AgentCall> List<T> calls(Class<T> type) {
        return received.stream().map(Received::call).filter(type::isInstance).map(type::cast).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        AgentCall call = AgentProtocol.decodeCall(exchange.getRequestBody().readAllBytes());
        received.add(new Received(call, exchange.getRequestHeaders().getFirst(AgentProtocol.STREAM_ID_HEADER),
                exchange.getRequestHeaders().getFirst(AgentProtocol.AGENT_ID_HEADER)));
        if (!(call instanceof AgentCall.Subscribe)) {
            exchange.sendResponseHeaders(202, -1);
            exchange.close();
            return;
        }
        BlockingQueue<AgentEvent> events = new LinkedBlockingQueue<>();
        current = events;
        String streamId = "stream-" + streams.incrementAndGet();
        exchange.getResponseHeaders().add(AgentProtocol.STREAM_ID_HEADER, streamId);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            write(out, new AgentEvent.Subscribed(AgentID.newBuilder().setValue(agentId).build(),
                    reportIntervalSeconds, agentTimeoutSeconds));
            AgentEvent event;
            while ((event = events.take()) != END) {
                write(out, event);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the agent went away
        }
    }

    private static void write(OutputStream out, AgentEvent event) throws IOException {
        out.write(RecordIo.frame(AgentProtocol.encode(event)));
        out.flush();
    }

    @Override
    public void close() {
        BlockingQueue<AgentEvent> events = current;
        if (events != null) {
            events.add(END);
        }
        server.stop(0);
    }
}
