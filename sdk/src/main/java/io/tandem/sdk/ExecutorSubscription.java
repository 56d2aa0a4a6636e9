package io.tandem.sdk;

import io.tandem.api.MediaType;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.executor.Protos.Call;
import org.apache.mesos.v1.executor.Protos.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SUBSCRIBE loop of an {@link ExecutorDriver}, following the Mesos executor API's rules on
 * disconnection: without framework checkpointing a lost agent connection is the end; with it, the
 * executor subscribes again (resending what the agent has not acknowledged) with backoff until
 * {@code recoveryTimeout} has passed without success.
 *
 * <p>{@link #run()} runs on the driver's subscription thread, which owns the fields that are not
 * volatile; {@link #stop()} may be called from any thread.
 */
final class ExecutorSubscription implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(ExecutorSubscription.class);

    /** What the subscription reports, on the subscription thread in stream order. */
    interface Listener {
        void event(Event event);

        void disconnected();

        /** Subscribed; {@code missed} are updates the SUBSCRIBE did not carry and that are not sent yet. */
        void resend(List<Call.Update> missed);

        /** The loop has ended: the agent refused the executor or could not be reached in time. */
        void ended(String reason, boolean refused);
    }

    private enum Outcome { LOST, FAILED, REFUSED }

    private final HttpClient client;
    private final MediaType type;
    private final ExecutorEnvironment env;
    private final UnacknowledgedUpdates unacknowledged;
    private final Backoff backoff;
    private final InstantSource clock;
    private final Listener listener;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile EventStream stream;
    private volatile boolean subscribed;
    private String refusal = "";
    /** The SUBSCRIBE of the current attempt. */
    private Call.Subscribe lastSubscribe = Call.Subscribe.getDefaultInstance();

    ExecutorSubscription(HttpClient client, MediaType type, ExecutorEnvironment env,
                         UnacknowledgedUpdates unacknowledged, Backoff backoff, InstantSource clock, Listener listener) {
        this.client = client;
        this.type = type;
        this.env = env;
        this.unacknowledged = unacknowledged;
        this.backoff = backoff;
        this.clock = clock;
        this.listener = listener;
    }

    boolean isSubscribed() {
        return subscribed;
    }

    boolean isStopped() {
        return stopped.getCount() == 0;
    }

    void stop() {
        stopped.countDown();
        EventStream live = stream;
        if (live != null) {
            live.close();
        }
    }

    @Override
    public void run() {
        Instant giveUpAt = clock.instant().plus(env.recoveryTimeout());
        while (!isStopped()) {
            Outcome outcome = attempt();
            if (isStopped()) {
                return;
            }
            if (outcome == Outcome.REFUSED) {
                end(refusal, true);
                return;
            }
            if (outcome == Outcome.LOST) {
                listener.disconnected();
                if (!env.checkpoint()) {
                    end("lost the agent and the framework does not checkpoint, so the executor cannot recover", false);
                    return;
                }
                giveUpAt = clock.instant().plus(env.recoveryTimeout());
            }
            if (clock.instant().isAfter(giveUpAt)) {
                end("could not subscribe to the agent at " + env.agentEndpoint() + " within "
                        + env.recoveryTimeout().toMillis() + " ms", false);
                return;
            }
            awaitBackoff();
        }
    }

    private void end(String reason, boolean refused) {
        stopped.countDown();
        listener.ended(reason, refused);
    }

    private void awaitBackoff() {
        try {
            stopped.await(backoff.next().toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            stop();
        }
    }

    private Outcome attempt() {
        URI uri = env.agentEndpoint();
        EventStream opened;
        try {
            opened = EventStream.open(client, uri, type, type.encode(subscribeCall()), Duration.ofSeconds(30));
        } catch (IOException e) {
            LOG.warn("cannot subscribe to agent {}: {}", uri, CallPoster.describe(e));
            return Outcome.FAILED;
        } catch (InterruptedException e) {
            stop();
            return Outcome.FAILED;
        }
        stream = opened;
        try {
            if (isStopped()) {
                return Outcome.FAILED;
            }
            if (opened.status() != 200) {
                return answer(uri, opened);
            }
            return consume(uri, opened);
        } finally {
            opened.close();
            stream = null;
        }
    }

    private Outcome answer(URI uri, EventStream opened) {
        int status = opened.status();
        String text = opened.errorText();
        if (status >= 400 && status < 500) {
            refusal = new CallRejectedException("SUBSCRIBE", status, text).getMessage();
            return Outcome.REFUSED;
        }
        LOG.warn("agent {} answered SUBSCRIBE with {}: {}", uri, CallRejectedException.statusLine(status), text);
        return Outcome.FAILED;
    }

    private Outcome consume(URI uri, EventStream opened) {
        boolean wasSubscribed = false;
        try {
            byte[] record;
            while ((record = opened.next()) != null) {
                // buildPartial: a master that leaves out a field Mesos marks required should not cost the
                // framework its events; the callbacks see the field's default.
                Event event = type.decode(record, Event.newBuilder()).buildPartial();
                if (event.getType() == Event.Type.SUBSCRIBED) {
                    wasSubscribed = true;
                    subscribed = true;
                    backoff.reset();
                    LOG.info("executor {} subscribed with agent {}", env.executorId().getValue(), uri);
                }
                remember(event);
                listener.event(event);
                if (event.getType() == Event.Type.SUBSCRIBED) {
                    List<Call.Update> missed = unacknowledged.notIn(lastSubscribe);
                    if (!missed.isEmpty()) {
                        listener.resend(missed);
                    }
                }
            }
            if (!isStopped()) {
                LOG.warn("agent {} ended the event stream", uri);
            }
        } catch (IOException | RuntimeException e) {   // MalformedMessageException among others
            if (!isStopped()) {
                LOG.warn("event stream from agent {} broke: {}", uri, CallPoster.describe(e));
            }
        } finally {
            subscribed = false;
        }
        return wasSubscribed ? Outcome.LOST : Outcome.FAILED;
    }

    /** Keeps the resend lists current before the executor sees the event, so no later SUBSCRIBE misses it. */
    private void remember(Event event) {
        switch (event.getType()) {
            case LAUNCH -> unacknowledged.launched(event.getLaunch().getTask());
            case LAUNCH_GROUP -> {
                for (TaskInfo task : event.getLaunchGroup().getTaskGroup().getTasksList()) {
                    unacknowledged.launched(task);
                }
            }
            case ACKNOWLEDGED -> unacknowledged.acknowledged(
                    event.getAcknowledged().getTaskId().getValue(), event.getAcknowledged().getUuid());
            default -> { }
        }
    }

    private Call subscribeCall() {
        lastSubscribe = unacknowledged.subscribe();
        return Call.newBuilder().setType(Call.Type.SUBSCRIBE)
                .setFrameworkId(env.frameworkId()).setExecutorId(env.executorId())
                .setSubscribe(lastSubscribe)
                .build();
    }
}
