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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.mesos.v1.executor.Protos.Call;
import org.apache.mesos.v1.executor.Protos.Event;

/**
 * An agent reduced to {@code /api/v1/executor}: streams events to one subscriber, records calls as they
 * arrive (before answering them), and can hold the answers to one type of call.
 */
final class FakeAgent implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<Call> subscriptions = new CopyOnWriteArrayList<>();
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final Map<Call.Type, CountDownLatch> holds = new ConcurrentHashMap<>();
    private final AtomicInteger answering = new AtomicInteger();
    private final AtomicInteger mostAnswering = new AtomicInteger();
    private volatile int subscribeStatus = 200;
    private volatile int callStatus = 202;
    private volatile Live live;

    private record Live(HttpExchange exchange, MediaType type, CountDownLatch closed) {}

    FakeAgent() throws IOException {
        this(0);
    }

    /** An agent on {@code port}: 0 for any, or the port of one that was closed (an agent restarting). */
    FakeAgent(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.setExecutor(threads);
        server.createContext("/api/v1/executor", this::handle);
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    String endpoint() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    List<Call> subscriptions() {
        return subscriptions;
    }

    List<Call> calls(Call.Type type) {
        return calls.stream().filter(c -> c.getType() == type).toList();
    }

    void answerSubscribeWith(int status) {
        subscribeStatus = status;
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

    void answerCallsWith(int status) {
        callStatus = status;
    }

    boolean streaming() {
        return live != null;
    }

    void send(Event event) throws IOException {
        Live stream = live;
        synchronized (stream) {
            OutputStream out = stream.exchange().getResponseBody();
            out.write(RecordIo.frame(stream.type().encode(event)));
            out.flush();
        }
    }

    void dropStream() {
        Live stream = live;
        live = null;
        if (stream != null) {
            stream.exchange().close();
            stream.closed().countDown();
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        MediaType type = MediaType.fromHeader(exchange.getRequestHeaders().getFirst("Content-Type"));
        Call call = type.decode(exchange.getRequestBody().readAllBytes(), Call.newBuilder()).build();
        if (call.getType() != Call.Type.SUBSCRIBE) {
            calls.add(call);
            mostAnswering.accumulateAndGet(answering.incrementAndGet(), Math::max);
            awaitRelease(call.getType());
            answering.decrementAndGet();   // before the answer leaves, as in FakeMaster
            respond(exchange, callStatus, callStatus == 202 ? "" : "Rejected by the fake agent");
            return;
        }
        subscriptions.add(call);
        if (subscribeStatus != 200) {
            respond(exchange, subscribeStatus, "Executor is unknown");
            return;
        }
        awaitRelease(Call.Type.SUBSCRIBE);
        dropStream();
        exchange.getResponseHeaders().set("Content-Type", type.mime());
        exchange.sendResponseHeaders(200, 0);
        Live stream = new Live(exchange, type, new CountDownLatch(1));
        live = stream;
        send(Event.newBuilder().setType(Event.Type.SUBSCRIBED).setSubscribed(Event.Subscribed.newBuilder()
                .setExecutorInfo(org.apache.mesos.v1.Protos.ExecutorInfo.newBuilder()
                        .setExecutorId(call.getExecutorId()).setFrameworkId(call.getFrameworkId())
                        .setCommand(org.apache.mesos.v1.Protos.CommandInfo.newBuilder().setValue("exec")))
                .setFrameworkInfo(org.apache.mesos.v1.Protos.FrameworkInfo.newBuilder().setUser("u").setName("fw"))
                .setAgentInfo(org.apache.mesos.v1.Protos.AgentInfo.newBuilder().setHostname("host-1"))).build());
        try {
            stream.closed().await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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

    private static void respond(HttpExchange exchange, int status, String text) throws IOException {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
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
