package io.tandem.sdk;

import com.google.protobuf.ByteString;
import io.tandem.api.MediaType;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.Filters;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.OfferID;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A framework's connection to the master over the Mesos v1 scheduler HTTP API
 * ({@code POST /api/v1/scheduler}). {@link #start()} subscribes on a background thread and keeps the
 * subscription alive (see {@link SchedulerSubscription}); events reach the {@link Scheduler} on one
 * callback thread in order; the {@link SchedulerCalls} methods send calls with the subscription's
 * {@code Mesos-Stream-Id}.
 *
 * <pre>{@code
 * try (SchedulerDriver driver = SchedulerDriver.builder()
 *         .master("http://m1:5050").frameworkInfo(info).scheduler(myScheduler).build()) {
 *     driver.start();
 *     ...
 * }
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class SchedulerDriver implements SchedulerCalls, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SchedulerDriver.class);
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final MasterEndpoints endpoints;
    private final CallPoster poster;
    private final CallQueue calls = new CallQueue();
    private final SchedulerSubscription subscription;
    private final SchedulerDispatcher dispatcher;
    private final ScheduledExecutorService watchdog;
    private final Duration callTimeout;
    private final Thread thread;
    private final Object lifecycle = new Object();
    private final CompletableFuture<Void> whenStopped = new CompletableFuture<>();
    private boolean started;

    private SchedulerDriver(Builder b) {
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)   // Mesos masters speak HTTP/1.1 only
                .connectTimeout(b.callTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        int instance = INSTANCES.incrementAndGet();
        this.callTimeout = b.callTimeout;
        this.endpoints = new MasterEndpoints(b.masters, "/api/v1/scheduler");
        this.poster = new CallPoster(client, b.contentType, b.callTimeout);
        this.watchdog = Executors.newSingleThreadScheduledExecutor(runnable -> daemon(runnable,
                "tandem-scheduler-heartbeats-" + instance));
        this.dispatcher = new SchedulerDispatcher(b.scheduler, this, b.autoAcknowledge, this::isStopped);
        this.subscription = new SchedulerSubscription(client, b.contentType, endpoints,
                new Backoff(b.backoffMin, b.backoffMax, b.random), b.callTimeout, b.frameworkInfo, b.suppressedRoles,
                new SchedulerSubscription.Listener() {
                    @Override
                    public void event(org.apache.mesos.v1.scheduler.Protos.Event event) {
                        dispatcher.event(event);
                    }

                    @Override
                    public void disconnected() {
                        dispatcher.disconnected();
                    }

                    @Override
                    public void refused(String message) {
                        LOG.error("master refused the framework: {}", message);
                        dispatcher.refused(message);
                        shutdownThreads();
                    }
                }, watchdog);
        this.thread = daemon(subscription, "tandem-scheduler-subscription-" + instance);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts subscribing in the background; returns at once. A driver starts only once. */
    public void start() {
        synchronized (lifecycle) {
            if (started) {
                throw new IllegalStateException("a SchedulerDriver can be started only once");
            }
            started = true;
        }
        LOG.info("subscribing with master(s) {}", endpoints);
        thread.start();
    }

    /**
     * Ends the subscription. With {@code failover} false the framework is torn down first (the
     * master kills its tasks); with {@code failover} true it stays registered for its
     * {@code failover_timeout}, so a new driver with the same framework id can take over.
     * Waits at most the call timeout for the teardown. Idempotent; callable from a callback.
     */
    public void stop(boolean failover) {
        if (isStopped()) {
            return;
        }
        String streamId = subscription.streamId();
        subscription.closing();
        if (!failover && streamId != null) {
            try {
                teardown().get(callTimeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                LOG.warn("teardown failed: {}", CallPoster.describe(e));
            }
        }
        subscription.stop();
        shutdownThreads();
        LOG.info("scheduler driver stopped{}", failover ? " (framework left for failover)" : "");
    }

    /** {@code stop(false)}, as Mesos's {@code driver.stop()}: the framework is torn down. */
    @Override
    public void close() {
        stop(false);
    }

    public boolean isStopped() {
        return subscription.isStopped();
    }

    /** True while a subscription is live (between SUBSCRIBED and its loss). */
    public boolean isSubscribed() {
        return subscription.streamId() != null;
    }

    @Override
    public Optional<FrameworkID> frameworkId() {
        return Optional.ofNullable(subscription.frameworkId());
    }

    @Override
    public CompletableFuture<Void> accept(Collection<OfferID> offerIds, List<Offer.Operation> operations,
                                          Filters filters) {
        Call.Accept.Builder accept = Call.Accept.newBuilder().addAllOfferIds(offerIds).addAllOperations(operations);
        if (filters != null) {
            accept.setFilters(filters);
        }
        return send(Call.newBuilder().setType(Call.Type.ACCEPT).setAccept(accept));
    }

    @Override
    public CompletableFuture<Void> decline(Collection<OfferID> offerIds, Filters filters) {
        Call.Decline.Builder decline = Call.Decline.newBuilder().addAllOfferIds(offerIds);
        if (filters != null) {
            decline.setFilters(filters);
        }
        return send(Call.newBuilder().setType(Call.Type.DECLINE).setDecline(decline));
    }

    @Override
    public CompletableFuture<Void> kill(TaskID taskId, AgentID agentId) {
        Call.Kill.Builder kill = Call.Kill.newBuilder().setTaskId(taskId);
        if (agentId != null) {
            kill.setAgentId(agentId);
        }
        return send(Call.newBuilder().setType(Call.Type.KILL).setKill(kill));
    }

    @Override
    public CompletableFuture<Void> revive(Set<String> roles) {
        return send(Call.newBuilder().setType(Call.Type.REVIVE).setRevive(Call.Revive.newBuilder().addAllRoles(roles)));
    }

    @Override
    public CompletableFuture<Void> suppress(Set<String> roles) {
        return send(Call.newBuilder().setType(Call.Type.SUPPRESS)
                .setSuppress(Call.Suppress.newBuilder().addAllRoles(roles)));
    }

    @Override
    public CompletableFuture<Void> acknowledge(TaskStatus status) {
        if (!status.hasUuid()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(
                    "status of task " + status.getTaskId().getValue() + " has no uuid and needs no acknowledgement"));
        }
        return send(Call.newBuilder().setType(Call.Type.ACKNOWLEDGE).setAcknowledge(Call.Acknowledge.newBuilder()
                .setAgentId(status.getAgentId()).setTaskId(status.getTaskId()).setUuid(status.getUuid())));
    }

    @Override
    public CompletableFuture<Void> reconcile(Collection<TaskStatus> tasks) {
        List<Call.Reconcile.Task> wanted = new ArrayList<>();
        for (TaskStatus status : tasks) {
            Call.Reconcile.Task.Builder task = Call.Reconcile.Task.newBuilder().setTaskId(status.getTaskId());
            if (status.hasAgentId()) {
                task.setAgentId(status.getAgentId());
            }
            wanted.add(task.build());
        }
        return send(Call.newBuilder().setType(Call.Type.RECONCILE)
                .setReconcile(Call.Reconcile.newBuilder().addAllTasks(wanted)));
    }

    @Override
    public CompletableFuture<Void> message(AgentID agentId, ExecutorID executorId, byte[] data) {
        return send(Call.newBuilder().setType(Call.Type.MESSAGE).setMessage(Call.Message.newBuilder()
                .setAgentId(agentId).setExecutorId(executorId).setData(ByteString.copyFrom(data))));
    }

    @Override
    public CompletableFuture<Void> teardown() {
        return send(Call.newBuilder().setType(Call.Type.TEARDOWN));
    }

    @Override
    public CompletableFuture<Void> send(Call.Builder call) {
        String streamId = subscription.streamId();
        FrameworkID frameworkId = subscription.frameworkId();
        String name = call.getType().name();
        if (streamId == null || frameworkId == null) {
            return CompletableFuture.failedFuture(new IllegalStateException(
                    name + " not sent: the driver is " + (isStopped() ? "stopped" : "not subscribed")));
        }
        URI master = endpoints.current();
        Call built = call.setFrameworkId(frameworkId).build();
        return calls.submit(name, () -> {
            // A call whose subscription ended while it waited would only be refused for its stale stream id.
            if (!streamId.equals(subscription.streamId())) {
                return CompletableFuture.failedFuture(new IllegalStateException(
                        name + " not sent: the subscription it was made on ended"));
            }
            return poster.post(master, name, built, Map.of("Mesos-Stream-Id", streamId));
        });
    }

    /** Completes once the driver has stopped, by {@link #stop} or because the master refused the framework. */
    public CompletableFuture<Void> whenStopped() {
        return whenStopped.copy();
    }

    private void shutdownThreads() {
        calls.close("the driver is stopped");
        dispatcher.shutdown();
        watchdog.shutdownNow();
        endpoints.close();
        whenStopped.complete(null);
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }

    /** Settings of a {@link SchedulerDriver}; {@code master}, {@code frameworkInfo} and {@code scheduler} are required. */
    public static final class Builder {
        private final List<String> masters = new ArrayList<>();
        private FrameworkInfo frameworkInfo;
        private Scheduler scheduler;
        private MediaType contentType = MediaType.PROTOBUF;
        private boolean autoAcknowledge = true;
        private Duration backoffMin = Duration.ofMillis(500);
        private Duration backoffMax = Duration.ofSeconds(15);
        private Duration callTimeout = Duration.ofSeconds(75);
        private RandomGenerator random = RandomGenerator.getDefault();
        private Set<String> suppressedRoles = Set.of();

        private Builder() {}

        /**
         * A master URL ({@code http://host:5050} or {@code host:5050}); several are tried in turn, and
         * a redirect to the leader is followed. Or, alone, the cluster's {@code zk://host:2181/path}:
         * the leader is then read from ZooKeeper.
         */
        public Builder master(String url) {
            masters.add(url);
            return this;
        }

        public Builder masters(Collection<String> urls) {
            masters.addAll(urls);
            return this;
        }

        /**
         * The framework to subscribe as. With an {@code id} set, the driver fails over to that existing
         * framework; its {@code failover_timeout} is how long the master waits for a lost scheduler.
         */
        public Builder frameworkInfo(FrameworkInfo frameworkInfo) {
            this.frameworkInfo = frameworkInfo;
            return this;
        }

        /**
         * Roles whose offers are suppressed from the moment of subscribing (SUBSCRIBE's
         * {@code suppressed_roles}), on every subscription. A framework that declares demand uses it so
         * that no plain offer precedes the declaration: it declares, then revives, from
         * {@link Scheduler#subscribed}.
         */
        public Builder suppressedRoles(Collection<String> roles) {
            this.suppressedRoles = Set.copyOf(roles);
            return this;
        }

        public Builder scheduler(Scheduler scheduler) {
            this.scheduler = scheduler;
            return this;
        }

        /** Encoding of calls and events: PROTOBUF (the default, compact) or JSON (readable on the wire). */
        public Builder contentType(MediaType contentType) {
            this.contentType = Objects.requireNonNull(contentType);
            return this;
        }

        /** Whether updates are acknowledged after {@link Scheduler#update} returns (default true). */
        public Builder autoAcknowledge(boolean autoAcknowledge) {
            this.autoAcknowledge = autoAcknowledge;
            return this;
        }

        /** Bounds of the jittered exponential wait between subscription attempts (default 0.5 s to 15 s). */
        public Builder backoff(Duration min, Duration max) {
            this.backoffMin = min;
            this.backoffMax = max;
            return this;
        }

        /** How long a call (and a SUBSCRIBE's response headers) may take (default 75 s, as Mesos suggests). */
        public Builder callTimeout(Duration callTimeout) {
            this.callTimeout = callTimeout;
            return this;
        }

        /** The source of backoff jitter; seed it for reproducible tests. */
        public Builder random(RandomGenerator random) {
            this.random = Objects.requireNonNull(random);
            return this;
        }

        public SchedulerDriver build() {
            if (masters.isEmpty() || frameworkInfo == null || scheduler == null) {
                throw new IllegalStateException("a SchedulerDriver needs a master, a frameworkInfo and a scheduler");
            }
            new Backoff(backoffMin, backoffMax, random);   // validates the bounds now, not on first use
            return new SchedulerDriver(this);
        }
    }
}
