package io.tandem.sdk;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.tandem.api.MediaType;
import io.tandem.api.RecordIo;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;

/**
 * A Mesos master reduced to its scheduler endpoint, for driver tests: answers SUBSCRIBE with a
 * RecordIO stream (SUBSCRIBED first) that the test then feeds with {@link #send}, records every call
 * with its {@code Mesos-Stream-Id}, and can be told to answer with errors or redirects, or to hold
 * the answers to one type of call. Calls are recorded as they arrive, before they are answered.
 */
final class FakeMaster implements AutoCloseable {
    record ReceivedCall(Call call, String streamId, String contentType) {}

    /** How SUBSCRIBE is answered instead of with a stream, when set. */
    record Refusal(int status, Map<String, String> headers, String body) {}

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<ReceivedCall> subscriptions = new CopyOnWriteArrayList<>();
    private final List<ReceivedCall> calls = new CopyOnWriteArrayList<>();
    private final Map<Call.Type, Refusal> callRefusals = new ConcurrentHashMap<>();
    private final List<String> streamIds = new CopyOnWriteArrayList<>();
    private final Map<Call.Type, CountDownLatch> holds = new ConcurrentHashMap<>();
    private final AtomicInteger answering = new AtomicInteger();
    private final AtomicInteger mostAnswering = new AtomicInteger();
    private final Set<Integer> callPorts = ConcurrentHashMap.newKeySet();
    private volatile Refusal subscribeRefusal;
    private volatile double heartbeatIntervalSeconds = 15;
    private volatile Stream stream;

    private record Stream(HttpExchange exchange, MediaType type, CountDownLatch closed) {}

    FakeMaster() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(threads);
        server.createContext("/api/v1/scheduler", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    int port() {
        return server.getAddress().getPort();
    }

    void refuseSubscribe(int status, Map<String, String> headers, String body) {
        subscribeRefusal = new Refusal(status, headers, body);
    }

    void refuse(Call.Type type, int status, String body) {
        callRefusals.put(type, new Refusal(status, Map.of(), body));
    }

    /** Calls of {@code type} are recorded but not answered until the returned latch is counted down. */
    CountDownLatch holdAnswers(Call.Type type) {
        CountDownLatch gate = new CountDownLatch(1);
        holds.put(type, gate);
        return gate;
    }

    /** The most calls (SUBSCRIBE aside) that had arrived and were not yet answered at any one time. */
    int mostCallsAtOnce() {
        return mostAnswering.get();
    }

    /** How many connections (told apart by client port) carried calls other than SUBSCRIBE. */
    int callConnections() {
        return callPorts.size();
    }

    void heartbeatInterval(double seconds) {
        heartbeatIntervalSeconds = seconds;
    }

    List<ReceivedCall> subscriptions() {
        return subscriptions;
    }

    List<ReceivedCall> calls() {
        return calls;
    }

    List<Call> calls(Call.Type type) {
        return calls.stream().map(ReceivedCall::call).filter(c -> c.getType() == type).toList();
    }

    /** The stream id of the latest subscription. */
    String streamId() {
        return streamIds.getLast();
    }

    boolean streaming() {
        return stream != null;
    }

    /** Writes one event on the live stream. */
    void send(Event event) throws IOException {
        Stream live = stream;
        if (live == null) {
            throw new IllegalStateException("no subscriber");
        }
        synchronized (live) {
            OutputStream out = live.exchange().getResponseBody();
            out.write(RecordIo.frame(live.type().encode(event)));
            out.flush();
        }
    }

    /** Ends the live stream cleanly, as a master that lost the connection would. */
    void dropStream() {
        Stream live = stream;
        stream = null;
        if (live != null) {
            live.exchange().close();
            live.closed().countDown();
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        MediaType type = MediaType.fromHeader(exchange.getRequestHeaders().getFirst("Content-Type"));
        Call call = type.decode(exchange.getRequestBody().readAllBytes(), Call.newBuilder()).build();
        ReceivedCall received = new ReceivedCall(call, exchange.getRequestHeaders().getFirst("Mesos-Stream-Id"),
                type.mime());
        if (call.getType() == Call.Type.SUBSCRIBE) {
            subscriptions.add(received);
            subscribe(exchange, call, MediaType.fromHeader(exchange.getRequestHeaders().getFirst("Accept")));
            return;
        }
        calls.add(received);
        callPorts.add(exchange.getRemoteAddress().getPort());
        mostAnswering.accumulateAndGet(answering.incrementAndGet(), Math::max);
        awaitRelease(call.getType());
        Refusal refusal = callRefusals.get(call.getType());
        // Counted as answered before the answer leaves: a client that sends the next call only after
        // this answer can never make two calls look simultaneous.
        answering.decrementAndGet();
        respond(exchange, refusal == null ? new Refusal(202, Map.of(), "") : refusal);
        if (call.getType() == Call.Type.TEARDOWN && refusal == null) {
            dropStream();   // as a Mesos master does once the framework is gone
        }
    }

    private void awaitRelease(Call.Type type) {
        CountDownLatch gate = holds.get(type);
        try {
            if (gate != null && !gate.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never released the held " + type + " answers");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void subscribe(HttpExchange exchange, Call call, MediaType accept) throws IOException {
        Refusal refusal = subscribeRefusal;
        if (refusal != null) {
            respond(exchange, refusal);
            return;
        }
        dropStream();
        String streamId = UUID.randomUUID().toString();
        streamIds.add(streamId);
        exchange.getResponseHeaders().set("Content-Type", accept.mime());
        exchange.getResponseHeaders().set("Mesos-Stream-Id", streamId);
        exchange.sendResponseHeaders(200, 0);
        Stream live = new Stream(exchange, accept, new CountDownLatch(1));
        stream = live;
        FrameworkID id = call.hasFrameworkId() ? call.getFrameworkId() : FrameworkID.newBuilder().setValue("fw-1").build();
        send(Event.newBuilder().setType(Event.Type.SUBSCRIBED).setSubscribed(Event.Subscribed.newBuilder()
                .setFrameworkId(id).setHeartbeatIntervalSeconds(heartbeatIntervalSeconds)).build());
        try {
            live.closed().await();   // keeps the exchange open until the test drops it
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void respond(HttpExchange exchange, Refusal answer) throws IOException {
        byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
        answer.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        exchange.sendResponseHeaders(answer.status(), body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            exchange.getResponseBody().write(body);
        }
        exchange.close();
    }

    @Override
    public void close() {
        dropStream();
        server.stop(0);
        threads.shutdownNow();
    }
}
