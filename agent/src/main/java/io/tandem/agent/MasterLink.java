package io.tandem.agent;

import io.tandem.api.RecordIo;
import io.tandem.api.agent.AgentCall;
import io.tandem.api.agent.AgentEvent;
import io.tandem.api.agent.AgentProtocol;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.apache.mesos.v1.Protos.AgentID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's connection to the master: POSTs SUBSCRIBE to {@code /internal/agent}, reads the
 * RecordIO stream of events, and sends every later call with the stream's id. When the stream
 * breaks (or stays silent longer than the master's agent timeout) it subscribes again, trying the
 * masters in turn, with randomised exponential backoff.
 *
 * <p>Runs on its own virtual thread; calls are encoded and sent on virtual threads too. The
 * {@link Listener} is called from the link's thread, in stream order.
 */
final class MasterLink implements MasterChannel, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MasterLink.class);
    /** Calls to the master in flight at once: enough to hide a round trip, few enough to share connections. */
    private static final int MAX_IN_FLIGHT = 4;
    /** Most updates sent in one call. */
    private static final int MAX_BATCH = 256;

    /** What the link needs from, and tells, the rest of the agent. */
    interface Listener {
        /** The SUBSCRIBE to send now (built on the agent loop; may block the link thread). */
        AgentCall.Subscribe subscribeCall() throws InterruptedException, ExecutionException;

        void subscribed(AgentEvent.Subscribed subscribed);

        void event(AgentEvent event);

        void disconnected();
    }

    /** A live subscription: where to send calls and under which stream id. */
    private record Session(URI endpoint, String streamId, AgentID agentId) {}

    private final IntFunction<Optional<URI>> masters;
    private final Listener listener;
    private final Duration backoffMin;
    private final Duration backoffMax;
    private final HttpClient client;
    private final ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor();
    /**
     * Senders at work, at most {@link #MAX_IN_FLIGHT}. Unbounded (a thread and a POST per call), a
     * burst of status updates (three per task, a thousand tasks) opened a connection per call:
     * thousands of sockets, which every later fork of a task had to close in the child, and one
     * master round trip per update. Bounded, the client's pool reuses a few connections, and what
     * queues meanwhile goes out batched.
     */
    private final Semaphore senderSlots = new Semaphore(MAX_IN_FLIGHT);
    private final Queue<Pending> pending = new ConcurrentLinkedQueue<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile Session session;
    private volatile InputStream stream;
    private volatile long lastEventNanos;
    private Thread thread;

    MasterLink(List<URI> masters, Listener listener, Duration backoffMin, Duration backoffMax) {
        this(inTurn(masters), listener, backoffMin, backoffMax);
    }

    /**
     * @param masters the master to try on each attempt (numbered from 0); empty when none is known yet,
     *     as while ZooKeeper names no leader
     */
    MasterLink(IntFunction<Optional<URI>> masters, Listener listener, Duration backoffMin, Duration backoffMax) {
        this.masters = masters;
        this.listener = listener;
        this.backoffMin = backoffMin;
        this.backoffMax = backoffMax;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    /** The listed masters in turn; a non-leading one redirects to the leader. */
    static IntFunction<Optional<URI>> inTurn(List<URI> masters) {
        List<URI> copy = List.copyOf(masters);
        return attempt -> Optional.of(copy.get(Math.floorMod(attempt, copy.size())));
    }

    void start() {
        thread = Thread.ofVirtual().name("master-link").start(this::run);
    }

    @Override
    public void send(AgentCall call) {
        Session current = session;
        if (current == null) {
            log.debug("not connected; dropping {}", call.getClass().getSimpleName());
            return;
        }
        pending.add(new Pending(current, call));
        if (senderSlots.tryAcquire()) {
            senders.execute(this::drain);
        }
    }

    @Override
    public void close() {
        closed.countDown();
        closeStream();
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        senders.shutdownNow();
        client.shutdownNow();
    }

    private void run() {
        Duration backoff = backoffMin;
        int attempt = 0;
        while (closed.getCount() > 0) {
            Optional<URI> next = masters.apply(attempt++);
            if (next.isEmpty()) {
                log.debug("no leading master known yet");
            } else if (subscribe(next.get())) {
                backoff = backoffMin; // a session was up: come back quickly
            }
            if (waitBeforeRetry(backoff)) {
                return;
            }
            backoff = backoff.multipliedBy(2).compareTo(backoffMax) > 0 ? backoffMax : backoff.multipliedBy(2);
        }
    }

    /** One subscription, until its stream ends. Returns whether the master accepted it. */
    private boolean subscribe(URI master) {
        URI endpoint = master.resolve(AgentProtocol.PATH);
        boolean accepted = false;
        try {
            HttpResponse<InputStream> response = openStream(endpoint);
            RecordIo.Reader reader = new RecordIo.Reader(response.body());
            AgentEvent.Subscribed subscribed = firstEvent(reader);
            String streamId = response.headers().firstValue(AgentProtocol.STREAM_ID_HEADER).orElse("");
            // After a redirect from a standby, calls go straight to the leader that answered.
            session = new Session(response.uri(), streamId, subscribed.agentId());
            accepted = true;
            log.info("subscribed to master {} as agent {}", master, subscribed.agentId().getValue());
            listener.subscribed(subscribed);
            readEvents(reader, subscribed.agentTimeoutSeconds());
            log.warn("master {} closed the event stream", master);
        } catch (IOException | RuntimeException | ExecutionException e) {
            if (closed.getCount() > 0) {
                log.warn("connection to master {} failed: {}", master, e.getMessage() != null ? e.getMessage() : e.toString());
            }
        } catch (InterruptedException e) {
            log.debug("master link interrupted");
        } finally {
            closeStream();
            session = null;
            if (accepted) {
                listener.disconnected();
            }
            Thread.interrupted(); // a watchdog interrupt must not cut the next attempt short
        }
        return accepted;
    }

    private HttpResponse<InputStream> openStream(URI endpoint)
            throws IOException, InterruptedException, ExecutionException {
        HttpRequest request = HttpRequest.newBuilder(endpoint)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(AgentProtocol.encode(listener.subscribeCall())))
                .build();
        HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        stream = response.body();
        if (response.statusCode() != 200) {
            String body = new String(response.body().readNBytes(4096), StandardCharsets.UTF_8);
            throw new IOException("master answered " + response.statusCode() + ": " + body);
        }
        return response;
    }

    private static AgentEvent.Subscribed firstEvent(RecordIo.Reader reader) throws IOException {
        byte[] first = reader.next();
        if (first == null) {
            throw new IOException("stream ended before SUBSCRIBED");
        }
        if (!(AgentProtocol.decodeEvent(first) instanceof AgentEvent.Subscribed subscribed)) {
            throw new IOException("the first event was not SUBSCRIBED");
        }
        return subscribed;
    }

    /**
     * Passes events on until the stream ends. A watchdog closes a stream that carries nothing
     * (not even a heartbeat) for the master's agent timeout, which a half-open connection would.
     */
    private void readEvents(RecordIo.Reader reader, double agentTimeoutSeconds) throws IOException {
        Duration silence = agentTimeoutSeconds > 0
                ? Duration.ofMillis((long) (agentTimeoutSeconds * 1000)) : Duration.ofMinutes(5);
        lastEventNanos = System.nanoTime();
        Thread watchdog = Thread.ofVirtual().name("master-link-watchdog").start(() -> watch(silence));
        try {
            byte[] record;
            while ((record = reader.next()) != null) {
                lastEventNanos = System.nanoTime();
                listener.event(AgentProtocol.decodeEvent(record));
            }
        } finally {
            watchdog.interrupt();
        }
    }

    private void watch(Duration silence) {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                long quiet = System.nanoTime() - lastEventNanos;
                if (quiet > silence.toNanos()) {
                    log.warn("no event from the master for {}; reconnecting", silence);
                    closeStream();
                    thread.interrupt();
                    return;
                }
                Thread.sleep(Duration.ofNanos(Math.max(silence.toNanos() - quiet, 1_000_000)));
            }
        } catch (InterruptedException e) {
            // the stream ended first
        }
    }

    /** A call waiting to be sent on the session it was made for. */
    private record Pending(Session session, AgentCall call) {}

    /** Sends what is pending until nothing is; holds a sender slot, released on the way out. */
    private void drain() {
        while (true) {
            List<Pending> batch = takeBatch();
            if (batch.isEmpty()) {
                senderSlots.release();
                // A call queued after takeBatch() found none, whose send() found no free slot.
                if (pending.isEmpty() || !senderSlots.tryAcquire()) {
                    return;
                }
                continue;
            }
            try {
                post(batch.getFirst().session(), combined(batch));
            } catch (RuntimeException e) {
                log.warn("cannot send {}: {}", batch.getFirst().call().getClass().getSimpleName(), e.toString());
            }
        }
    }

    /**
     * The next call to send: one call, or up to {@link #MAX_BATCH} consecutive updates on the same
     * session, which the master handles in order as if sent one by one.
     */
    private List<Pending> takeBatch() {
        List<Pending> batch = new ArrayList<>();
        Pending first = pending.poll();
        if (first == null) {
            return batch;
        }
        batch.add(first);
        while (first.call() instanceof AgentCall.Update && batch.size() < MAX_BATCH) {
            Pending next = pending.peek();
            if (next == null || next.session() != first.session() || !(next.call() instanceof AgentCall.Update)
                    || !pending.remove(next)) {
                break;
            }
            batch.add(next);
        }
        return batch;
    }

    private static AgentCall combined(List<Pending> batch) {
        if (batch.size() == 1) {
            return batch.getFirst().call();
        }
        return new AgentCall.Updates(batch.stream().map(p -> (AgentCall.Update) p.call()).toList());
    }

    private void post(Session current, AgentCall call) {
        HttpRequest request = HttpRequest.newBuilder(current.endpoint())
                .header("Content-Type", "application/json")
                .header(AgentProtocol.STREAM_ID_HEADER, current.streamId())
                .header(AgentProtocol.AGENT_ID_HEADER, current.agentId().getValue())
                .POST(HttpRequest.BodyPublishers.ofByteArray(AgentProtocol.encode(call)))
                .build();
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 403 && session == current) {
                log.warn("master refused a call on a stale stream; resubscribing");
                closeStream();
            } else if (response.statusCode() / 100 != 2) {
                log.warn("master answered {} to {}: {}", response.statusCode(), call.getClass().getSimpleName(),
                        response.body());
            }
        } catch (IOException e) {
            log.debug("sending {} failed: {}", call.getClass().getSimpleName(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits the backoff (randomised to half..full, so agents do not reconnect in lockstep); true when closed. */
    private boolean waitBeforeRetry(Duration backoff) {
        long millis = backoff.toMillis();
        long wait = millis / 2 + ThreadLocalRandom.current().nextLong(millis / 2 + 1);
        try {
            return closed.await(wait, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            return closed.getCount() == 0;
        }
    }

    private void closeStream() {
        InputStream current = stream;
        if (current != null) {
            try {
                current.close();
            } catch (IOException e) {
                log.debug("closing the event stream: {}", e.getMessage());
            }
        }
    }
}
