package io.tandem.sdk;

import com.google.protobuf.ByteString;
import io.tandem.api.MediaType;
import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.random.RandomGenerator;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.executor.Protos.Call;
import org.apache.mesos.v1.executor.Protos.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An executor's connection to its agent over the Mesos v1 executor HTTP API
 * ({@code POST http://$MESOS_AGENT_ENDPOINT/api/v1/executor}). {@link #start()} subscribes on a
 * background thread; events reach the {@link Executor} on one callback thread in order; status
 * updates are kept until acknowledged and resent after a reconnection (see
 * {@link ExecutorSubscription} for when the driver gives up and calls {@link Executor#shutdown}).
 *
 * <pre>{@code
 * ExecutorDriver driver = ExecutorDriver.fromEnvironment(new MyExecutor());
 * driver.start();
 * driver.whenStopped().join();
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class ExecutorDriver implements ExecutorCalls, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ExecutorDriver.class);

    private final ExecutorEnvironment env;
    private final Executor executor;
    private final InstantSource clock;
    private final CallPoster poster;
    private final CallQueue calls = new CallQueue();
    private final UnacknowledgedUpdates unacknowledged = new UnacknowledgedUpdates();
    private final CallbackThread callbacks = new CallbackThread("tandem-executor-callbacks");
    private final ExecutorSubscription subscription;
    private final Thread thread;
    private final AtomicBoolean started = new AtomicBoolean();
    private final CompletableFuture<Void> whenStopped = new CompletableFuture<>();

    private ExecutorDriver(Builder b) {
        this.env = b.env;
        this.executor = b.executor;
        this.clock = b.clock;
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(30)).build();
        this.poster = new CallPoster(client, b.contentType, Duration.ofSeconds(30));
        Duration max = env.subscriptionBackoffMax().isPositive() ? env.subscriptionBackoffMax() : Duration.ofMillis(1);
        Duration min = b.backoffMin.compareTo(max) < 0 ? b.backoffMin : max;
        this.subscription = new ExecutorSubscription(client, b.contentType, env, unacknowledged,
                new Backoff(min, max, b.random), clock, new ExecutorSubscription.Listener() {
                    @Override
                    public void event(Event event) {
                        callbacks.run(event.getType().name(), () -> deliver(event));
                    }

                    @Override
                    public void disconnected() {
                        callbacks.run("disconnected", () -> executor.disconnected(ExecutorDriver.this));
                    }

                    @Override
                    public void resend(List<Call.Update> missed) {
                        missed.forEach(ExecutorDriver.this::send);
                    }

                    @Override
                    public void ended(String reason, boolean refused) {
                        ExecutorDriver.this.ended(reason, refused);
                    }
                });
        this.thread = new Thread(subscription, "tandem-executor-subscription");
        thread.setDaemon(true);
    }

    /** A driver configured from the variables the agent sets (see {@link ExecutorEnvironment}). */
    public static ExecutorDriver fromEnvironment(Executor executor) {
        return builder(ExecutorEnvironment.from(System.getenv()), executor).build();
    }

    public static Builder builder(ExecutorEnvironment env, Executor executor) {
        return new Builder(env, executor);
    }

    /** Starts subscribing in the background; returns at once. */
    public void start() {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("an ExecutorDriver can be started only once");
        }
        thread.start();
    }

    /** Closes the connection; unacknowledged updates are not sent any more. Idempotent. */
    public void stop() {
        subscription.stop();
        calls.close("the executor driver is stopped");
        callbacks.shutdown();
        whenStopped.complete(null);
    }

    @Override
    public void close() {
        stop();
    }

    /** Completes when the driver stopped: by {@link #stop()}, or because it gave up on the agent. */
    public CompletableFuture<Void> whenStopped() {
        return whenStopped.copy();
    }

    public boolean isSubscribed() {
        return subscription.isSubscribed();
    }

    @Override
    public FrameworkID frameworkId() {
        return env.frameworkId();
    }

    @Override
    public ExecutorID executorId() {
        return env.executorId();
    }

    @Override
    public CompletableFuture<Void> update(TaskStatus status) {
        TaskStatus full = status.toBuilder()
                .setExecutorId(env.executorId())
                .setSource(TaskStatus.Source.SOURCE_EXECUTOR)
                .setTimestamp(clock.millis() / 1000.0)
                .setUuid(freshUuid())
                .build();
        Call.Update update = Call.Update.newBuilder().setStatus(full).build();
        unacknowledged.sent(update);
        if (!subscription.isSubscribed()) {
            LOG.debug("not subscribed; {} of task {} will be sent with the next SUBSCRIBE",
                    full.getState(), full.getTaskId().getValue());
            return CompletableFuture.completedFuture(null);
        }
        return send(update);
    }

    /** Posts {@code update} in call order; one that waited past a lost connection is left for the next SUBSCRIBE. */
    private CompletableFuture<Void> send(Call.Update update) {
        TaskStatus full = update.getStatus();
        Call call = call(Call.Type.UPDATE).setUpdate(update).build();
        return calls.submit("UPDATE", () -> {
            if (!subscription.isSubscribed()) {
                return CompletableFuture.completedFuture(null);   // lost the agent while waiting: resent on SUBSCRIBE
            }
            // The answer counts once the bookkeeping is done, so a caller that saw the failure also
            // sees the update gone from the resend list.
            return post(call).whenComplete((ok, failure) -> {
                if (failure instanceof CallRejectedException) {
                    unacknowledged.dropped(full);
                }
            });
        });
    }

    @Override
    public CompletableFuture<Void> message(byte[] data) {
        Call call = call(Call.Type.MESSAGE).setMessage(Call.Message.newBuilder().setData(ByteString.copyFrom(data)))
                .build();
        return calls.submit("MESSAGE", () -> post(call));
    }

    private CompletableFuture<Void> post(Call call) {
        return poster.post(env.agentEndpoint(), call.getType().name(), call, Map.of());
    }

    private Call.Builder call(Call.Type type) {
        return Call.newBuilder().setType(type).setFrameworkId(env.frameworkId()).setExecutorId(env.executorId());
    }

    private static ByteString freshUuid() {
        UUID uuid = UUID.randomUUID();
        return ByteString.copyFrom(ByteBuffer.allocate(16)
                .putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits()).array());
    }

    private void ended(String reason, boolean refused) {
        LOG.error("executor driver ends: {}", reason);
        if (refused) {
            callbacks.run("error", () -> executor.error(this, reason));
        }
        callbacks.run("shutdown", () -> executor.shutdown(this));
        callbacks.run("stop", this::stop);
    }

    private void deliver(Event event) {
        if (whenStopped.isDone()) {
            return;
        }
        switch (event.getType()) {
            case SUBSCRIBED -> executor.subscribed(this, event.getSubscribed().getExecutorInfo(),
                    event.getSubscribed().getFrameworkInfo(), event.getSubscribed().getAgentInfo());
            case LAUNCH -> executor.launch(this, event.getLaunch().getTask());
            case LAUNCH_GROUP -> executor.launchGroup(this, event.getLaunchGroup().getTaskGroup());
            case KILL -> executor.kill(this, event.getKill().getTaskId(), event.getKill().getKillPolicy());
            case ACKNOWLEDGED -> executor.acknowledged(this, event.getAcknowledged().getTaskId(),
                    event.getAcknowledged().getUuid());
            case MESSAGE -> executor.message(this, event.getMessage().getData().toByteArray());
            case SHUTDOWN -> executor.shutdown(this);
            case ERROR -> executor.error(this, event.getError().getMessage());
            default -> LOG.debug("ignoring {} event", event.getType());
        }
    }

    /** Settings of an {@link ExecutorDriver}; everything but the environment and executor has a default. */
    public static final class Builder {
        private final ExecutorEnvironment env;
        private final Executor executor;
        private MediaType contentType = MediaType.PROTOBUF;
        private Duration backoffMin = Duration.ofMillis(100);
        private RandomGenerator random = RandomGenerator.getDefault();
        private InstantSource clock = InstantSource.system();

        private Builder(ExecutorEnvironment env, Executor executor) {
            this.env = Objects.requireNonNull(env);
            this.executor = Objects.requireNonNull(executor);
        }

        public Builder contentType(MediaType contentType) {
            this.contentType = Objects.requireNonNull(contentType);
            return this;
        }

        /** The first wait before subscribing again; waits double up to MESOS_SUBSCRIPTION_BACKOFF_MAX. */
        public Builder backoffMin(Duration backoffMin) {
            this.backoffMin = Objects.requireNonNull(backoffMin);
            return this;
        }

        public Builder random(RandomGenerator random) {
            this.random = Objects.requireNonNull(random);
            return this;
        }

        /** The clock for update timestamps and the recovery deadline. */
        public Builder clock(InstantSource clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        public ExecutorDriver build() {
            return new ExecutorDriver(this);
        }
    }
}
