package io.tandem.sdk;

import io.tandem.api.MediaType;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SUBSCRIBE loop of a {@link SchedulerDriver}: subscribes, reads the event stream, and when the
 * stream dies (end of stream, I/O error, or {@value #MISSED_HEARTBEATS} heartbeat intervals without
 * any event) subscribes again with backoff, keeping the framework id so that the master treats it as
 * a failover of the same framework.
 *
 * <p>{@link #run()} runs on the driver's subscription thread, which owns everything here except the
 * volatile fields (read by callers) and {@link #stop()} (called from any thread).
 */
final class SchedulerSubscription implements Runnable {
    /** Mesos suggests giving up on a connection after about five missed heartbeats. */
    static final int MISSED_HEARTBEATS = 5;
    private static final int MAX_REDIRECTS = 5;
    private static final Logger LOG = LoggerFactory.getLogger(SchedulerSubscription.class);

    /** What the subscription reports; called on the subscription thread, in stream order. */
    interface Listener {
        void event(Event event);

        void disconnected();

        /** The master refused the framework; the loop has ended. */
        void refused(String message);
    }

    private enum Kind { LOST, FAILED, REDIRECTED, REFUSED }

    private record Outcome(Kind kind, String message) {
        static Outcome of(Kind kind) {
            return new Outcome(kind, "");
        }
    }

    private final HttpClient client;
    private final MediaType type;
    private final MasterEndpoints endpoints;
    private final Backoff backoff;
    private final Duration headersTimeout;
    private final FrameworkInfo frameworkInfo;
    private final Set<String> suppressedRoles;
    private final Listener listener;
    private final ScheduledExecutorService watchdog;
    private final CountDownLatch stopped = new CountDownLatch(1);

    private volatile FrameworkID frameworkId;
    private volatile String streamId;
    private volatile EventStream stream;
    private volatile long lastEventNanos;
    private volatile boolean closing;

    SchedulerSubscription(HttpClient client, MediaType type, MasterEndpoints endpoints, Backoff backoff,
                          Duration headersTimeout, FrameworkInfo frameworkInfo, Set<String> suppressedRoles,
                          Listener listener, ScheduledExecutorService watchdog) {
        this.client = client;
        this.type = type;
        this.endpoints = endpoints;
        this.backoff = backoff;
        this.headersTimeout = headersTimeout;
        this.frameworkInfo = frameworkInfo;
        this.suppressedRoles = Set.copyOf(suppressedRoles);
        this.listener = listener;
        this.watchdog = watchdog;
        this.frameworkId = frameworkInfo.hasId() ? frameworkInfo.getId() : null;
    }

    /** The framework id, once the master assigned one (or the one the framework failed over with). */
    FrameworkID frameworkId() {
        return frameworkId;
    }

    /** The {@code Mesos-Stream-Id} of the live subscription, or {@code null} while not subscribed. */
    String streamId() {
        return streamId;
    }

    boolean isStopped() {
        return stopped.getCount() == 0 || closing;
    }

    /**
     * Announces a stop: from now on the end of the stream is expected (a TEARDOWN makes the master
     * close it) and is neither reported nor answered by subscribing again.
     */
    void closing() {
        closing = true;
    }

    /** Ends the loop: closes the live stream and cuts any backoff wait short. Idempotent. */
    void stop() {
        stopped.countDown();
        streamId = null;
        EventStream live = stream;
        if (live != null) {
            live.close();
        }
    }

    @Override
    public void run() {
        int redirects = 0;
        while (!isStopped()) {
            Outcome outcome = attempt();
            if (isStopped()) {
                return;
            }
            switch (outcome.kind()) {
                case REDIRECTED -> {
                    if (++redirects <= MAX_REDIRECTS) {
                        continue;
                    }
                    LOG.warn("more than {} redirects in a row between masters; backing off", MAX_REDIRECTS);
                    endpoints.advance();
                }
                case REFUSED -> {
                    stopped.countDown();
                    listener.refused(outcome.message());
                    return;
                }
                case LOST -> listener.disconnected();
                case FAILED -> endpoints.advance();
            }
            redirects = 0;
            awaitBackoff();
        }
    }

    private void awaitBackoff() {
        Duration delay = backoff.next();
        LOG.debug("subscribing again to {} in {} ms", endpoints.current(), delay.toMillis());
        try {
            stopped.await(delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            stop();
        }
    }

    private Outcome attempt() {
        URI uri = endpoints.current();
        if (uri == null) {
            LOG.warn("no leading master known at {} yet", endpoints);
            return Outcome.of(Kind.FAILED);
        }
        EventStream opened;
        try {
            opened = EventStream.open(client, uri, type, type.encode(subscribeCall()), headersTimeout);
        } catch (IOException e) {
            LOG.warn("cannot subscribe to {}: {}", uri, CallPoster.describe(e));
            return Outcome.of(Kind.FAILED);
        } catch (InterruptedException e) {
            stop();
            return Outcome.of(Kind.FAILED);
        }
        stream = opened;
        try {
            if (isStopped()) {
                return Outcome.of(Kind.FAILED);
            }
            return answer(uri, opened);
        } finally {
            opened.close();
            stream = null;
        }
    }

    private Outcome answer(URI uri, EventStream opened) {
        int status = opened.status();
        if (status == 200) {
            return consume(uri, opened);
        }
        if (status == 307 && opened.header("Location").isPresent()) {
            URI leader = endpoints.redirect(opened.header("Location").get());
            LOG.info("{} is not the leading master; following the redirect to {}", uri, leader);
            return Outcome.of(Kind.REDIRECTED);
        }
        String text = opened.errorText();
        if (status >= 400 && status < 500) {
            return new Outcome(Kind.REFUSED, new CallRejectedException("SUBSCRIBE", status, text).getMessage());
        }
        LOG.warn("{} answered SUBSCRIBE with {}{}", uri, CallRejectedException.statusLine(status),
                status == 503 ? " (no leading master yet)" : text.isEmpty() ? "" : ": " + text);
        return Outcome.of(Kind.FAILED);
    }

    private Outcome consume(URI uri, EventStream opened) {
        boolean subscribed = false;
        ScheduledFuture<?> heartbeatCheck = null;
        try {
            byte[] record;
            while ((record = opened.next()) != null) {
                // buildPartial: a master that leaves out a field Mesos marks required should not cost the
                // framework its events; the callbacks see the field's default.
                Event event = type.decode(record, Event.newBuilder()).buildPartial();
                lastEventNanos = System.nanoTime();
                if (event.getType() == Event.Type.ERROR) {
                    return new Outcome(Kind.REFUSED, event.getError().getMessage());
                }
                if (event.getType() == Event.Type.SUBSCRIBED && !subscribed) {
                    subscribed = true;
                    streamId = opened.header("Mesos-Stream-Id").orElse(null);
                    heartbeatCheck = onSubscribed(uri, event.getSubscribed(), opened);
                }
                listener.event(event);
            }
            if (!isStopped()) {
                LOG.warn("master {} ended the event stream", uri);
            }
        } catch (IOException | RuntimeException e) {   // MalformedMessageException among others
            if (!isStopped()) {
                LOG.warn("event stream from {} broke: {}", uri, CallPoster.describe(e));
            }
        } finally {
            streamId = null;
            if (heartbeatCheck != null) {
                heartbeatCheck.cancel(false);
            }
        }
        return Outcome.of(subscribed ? Kind.LOST : Kind.FAILED);
    }

    private ScheduledFuture<?> onSubscribed(URI uri, Event.Subscribed subscribed, EventStream opened) {
        frameworkId = subscribed.getFrameworkId();
        backoff.reset();
        LOG.info("framework {} subscribed with master {}", frameworkId.getValue(), uri);
        double interval = subscribed.getHeartbeatIntervalSeconds();
        if (!subscribed.hasHeartbeatIntervalSeconds() || interval <= 0) {
            return null;
        }
        long intervalNanos = (long) (interval * 1e9);
        long deadNanos = MISSED_HEARTBEATS * intervalNanos;
        return watchdog.scheduleAtFixedRate(() -> {
            if (System.nanoTime() - lastEventNanos > deadNanos) {
                LOG.warn("no event from {} for {} heartbeat intervals of {}s; reconnecting",
                        uri, MISSED_HEARTBEATS, interval);
                opened.close();
            }
        }, intervalNanos, intervalNanos, TimeUnit.NANOSECONDS);
    }

    private Call subscribeCall() {
        FrameworkID id = frameworkId;
        FrameworkInfo.Builder info = frameworkInfo.toBuilder();
        Call.Builder call = Call.newBuilder().setType(Call.Type.SUBSCRIBE);
        if (id != null) {
            info.setId(id);
            call.setFrameworkId(id);
        }
        return call.setSubscribe(Call.Subscribe.newBuilder().setFrameworkInfo(info)
                .addAllSuppressedRoles(suppressedRoles)).build();
    }
}
