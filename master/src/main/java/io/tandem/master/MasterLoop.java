package io.tandem.master;

import io.tandem.allocator.Allocator;
import io.tandem.api.agent.AgentCall;
import io.tandem.api.agent.AgentEvent;
import io.tandem.model.AgentId;
import io.tandem.model.FrameworkId;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.apache.mesos.v1.Protos.MasterInfo;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The master's single thread. Every change to the master's state is an event run here, in order;
 * callers on other threads get a {@link CompletableFuture} of the answer. Timeouts (offers, agents,
 * failover), heartbeats and the periodic allocation are driven by {@link #tick()}, which reads the
 * injected clock, so tests can move time by hand.
 *
 * <p>Thread-safe: every public method only submits work to the loop thread.
 */
final class MasterLoop implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MasterLoop.class);

    private final ScheduledExecutorService thread;
    private final MasterContext ctx;
    private final Allocation allocation;
    private final FrameworkLifecycle frameworks;
    private final SchedulerCalls schedulerCalls;
    private final AgentLifecycle agents;
    private final OperatorCalls operatorCalls;
    private final MaintenanceCalls maintenanceCalls;
    private Registrar registrar; // null until recover(); tests without a registry never set it
    private final Durability durability;
    private volatile long lastTurn = System.nanoTime() - Duration.ofDays(1).toNanos();
    private Instant nextHeartbeat;
    private Instant nextAgentHeartbeat;

    MasterLoop(MasterConfig config, InstantSource clock, MasterInfo masterInfo, Allocator allocator) {
        this.thread = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("master-loop").daemon(true).factory());
        this.ctx = MasterContext.create(config, clock, masterInfo, allocator);
        this.allocation = new Allocation(ctx, thread);
        this.frameworks = new FrameworkLifecycle(ctx, allocation);
        Reconciliation reconciliation = new Reconciliation(ctx);
        this.schedulerCalls = new SchedulerCalls(ctx, frameworks, new Launches(ctx, allocation), reconciliation,
                allocation);
        TaskUpdates updates = new TaskUpdates(ctx, allocation);
        this.durability = new Durability(ctx, thread);
        this.agents = new AgentLifecycle(ctx, allocation, new AgentTaskSync(ctx, frameworks), updates, durability);
        this.operatorCalls = new OperatorCalls(ctx, allocation);
        this.maintenanceCalls = new MaintenanceCalls(ctx, allocation, durability);
        this.nextHeartbeat = clock.instant().plus(config.heartbeatInterval());
        this.nextAgentHeartbeat = clock.instant().plus(agentHeartbeatInterval(config));
    }

    /**
     * Agents close a stream that is silent for their agent timeout, so they hear from the master at
     * least three times within it (and no less often than frameworks do).
     */
    static Duration agentHeartbeatInterval(MasterConfig config) {
        Duration third = config.agentTimeout().dividedBy(3);
        return third.compareTo(config.heartbeatInterval()) < 0 ? third : config.heartbeatInterval();
    }

    /**
     * Before serving: restores what the registry kept (see {@link RegistryRecovery}), then keeps the
     * registry in step on every tick through {@code registrar}.
     */
    CompletableFuture<Void> recover(io.tandem.master.registry.RegistryState state, Registrar keeper) {
        return submit("registry recovery", () -> {
            RegistryRecovery.apply(state, ctx, frameworks);
            this.registrar = keeper;
            durability.attach(keeper);
            return null;
        });
    }

    /** Runs {@link #tick()} every {@code period} of real time until closed. */
    void startTicking(Duration period) {
        thread.scheduleAtFixedRate(this::safeTick, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    CompletableFuture<Optional<FrameworkId>> subscribeFramework(Call.Subscribe subscribe, EventSink<Event> stream,
                                                                String streamId) {
        // Its FrameworkInfo (failover timeout included) is stored before the framework hears SUBSCRIBED.
        return submitDurable("framework SUBSCRIBE", () -> frameworks.subscribe(subscribe, stream, streamId),
                Optional::isPresent);
    }

    CompletableFuture<CallResult> schedulerCall(Call call, Optional<String> streamId) {
        return submitDurable("scheduler " + call.getType(), () -> schedulerCalls.handle(call, streamId),
                result -> call.getType() == Call.Type.TEARDOWN && result.status() < 300);
    }

    /**
     * An operator call that changes the master (UPDATE_WEIGHTS, UPDATE_QUOTA, (UN)RESERVE_RESOURCES,
     * MARK_AGENT_GONE, UPDATE_MAINTENANCE_SCHEDULE, START_MAINTENANCE, STOP_MAINTENANCE).
     */
    CompletableFuture<CallResult> operatorCall(org.apache.mesos.v1.master.Protos.Call call) {
        // Answered once the registry holds the change (Mesos too answers these after its registry write).
        return submitDurable("operator " + call.getType(), () -> switch (call.getType()) {
            case MARK_AGENT_GONE -> agents.markGone(call.getMarkAgentGone().getAgentId());
            case UPDATE_MAINTENANCE_SCHEDULE, START_MAINTENANCE, STOP_MAINTENANCE -> maintenanceCalls.handle(call);
            default -> operatorCalls.handle(call);
        }, result -> result.status() < 300);
    }

    void frameworkStreamBroken(FrameworkId id, String streamId) {
        submit("broken framework stream", () -> {
            frameworks.streamBroken(id, streamId);
            return null;
        });
    }

    CompletableFuture<AgentId> subscribeAgent(AgentAdmission admission, EventSink<AgentEvent> stream,
                                              String streamId) {
        // The agent's stream (SUBSCRIBED first) starts only once the registry holds its admission; an agent
        // re-registering after a failover is in the registry already, and a thousand of them need no write.
        return submit("agent SUBSCRIBE", () -> {
            boolean stored = admission.requestedId().map(ctx.recoveredAgents()::isWaitingFor).orElse(false);
            AgentId id = agents.subscribe(admission, stream, streamId);
            return id == null || stored ? CompletableFuture.completedFuture(id)
                    : durability.durable().thenApply(written -> id);
        }).thenCompose(Function.identity());
    }

    CompletableFuture<CallResult> agentCall(AgentCall call, AgentId agentId, String streamId) {
        return submit("agent " + call.getClass().getSimpleName(), () -> agents.handle(call, agentId, streamId));
    }

    void agentStreamBroken(AgentId id, String streamId) {
        submit("broken agent stream", () -> {
            agents.streamBroken(id, streamId);
            return null;
        });
    }

    /** Completes once the loop has run everything queued before it (GET_HEALTH). */
    CompletableFuture<Void> ping() {
        return submit("ping", () -> null);
    }

    CompletableFuture<ClusterSnapshot> snapshot() {
        return submit("snapshot", () -> ClusterSnapshot.take(ctx));
    }

    /** Fires whatever is due at the clock's current time. */
    CompletableFuture<Void> tick() {
        return submit("tick", () -> {
            onTick();
            return null;
        });
    }

    private void safeTick() {
        try {
            onTick();
            lastTurn = System.nanoTime();
        } catch (RuntimeException e) {
            log.error("Master tick failed", e);
        }
    }

    private void onTick() {
        Instant now = ctx.now();
        frameworks.expireFailovers(now);
        agents.expireSilent(now);
        allocation.expireOffers(now);
        if (!now.isBefore(nextHeartbeat)) {
            nextHeartbeat = now.plus(ctx.config().heartbeatInterval());
            ctx.frameworks().connected().forEach(f -> f.send(Events.heartbeat()));
        }
        if (!now.isBefore(nextAgentHeartbeat)) {
            nextAgentHeartbeat = now.plus(agentHeartbeatInterval(ctx.config()));
            agents.heartbeat();
        }
        allocation.onTick(now);
        if (registrar != null) {
            registrar.onTick(ctx);
        }
    }

    /**
     * As {@link #submit}, but when {@code changed} says the answer acknowledges a change, the answer
     * comes only once the registry holds it (see {@link Durability}); if it cannot be stored, the
     * future fails with {@link NotDurableException}.
     */
    private <T> CompletableFuture<T> submitDurable(String what, Supplier<T> work, Predicate<T> changed) {
        return submit(what, () -> {
            T answer = work.get();
            return changed.test(answer) ? durability.durable().thenApply(stored -> answer)
                    : CompletableFuture.completedFuture(answer);
        }).thenCompose(Function.identity());
    }

    /**
     * Whether the loop finished an event within {@code within}: it is alive and working through its
     * queue, however long. GET_HEALTH asks this first, so that after a failover it is not queued behind
     * a thousand agents re-registering.
     */
    boolean isTurning(Duration within) {
        return System.nanoTime() - lastTurn < within.toNanos();
    }

    private <T> CompletableFuture<T> submit(String what, Supplier<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            thread.execute(() -> {
                try {
                    T answer = work.get();
                    lastTurn = System.nanoTime();
                    result.complete(answer);
                } catch (RuntimeException e) {
                    log.error("Master loop failed handling {}", what, e);
                    result.completeExceptionally(e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            result.completeExceptionally(new IllegalStateException("the master is shutting down", e));
        }
        return result;
    }

    /** Ends every subscriber's stream, then stops the thread. */
    @Override
    public void close() {
        submit("shutdown", () -> {
            ctx.frameworks().all().forEach(Framework::closeStream);
            ctx.agents().all().forEach(Agent::markUnreachable);
            return null;
        }).completeOnTimeout(null, 5, TimeUnit.SECONDS).join();
        thread.shutdownNow();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
