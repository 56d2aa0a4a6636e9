package io.tandem.master;

import io.tandem.api.MesosJson;
import io.tandem.master.maintenance.MaintenanceMessages;
import io.tandem.master.maintenance.MaintenanceState;
import io.tandem.master.registry.Registry;
import io.tandem.master.registry.RegistryException;
import io.tandem.master.registry.RegistryState;
import io.tandem.allocator.Quota;
import io.tandem.model.AgentId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the registry in step with the master: on each tick the loop takes a {@link Snapshot} of what
 * it holds now, and when that differs from the last one, hands it to a writer thread, which turns it
 * into a {@link RegistryState} and stores it unless the registry already says the same. Many
 * changes between two writes make one write (the newest state wins), so a thousand agents
 * re-registering cost no write at all when the registry already knows them, and at most ten
 * writes a second otherwise. Callers that must not acknowledge a change before it is stored wait
 * for the write through {@link #store} (see {@link Durability}). A failed write is reported to {@code onFailure}: the master then stops
 * leading, because it can no longer promise that what it decided survives it.
 *
 * <p>{@link #onTick} runs on the master loop; the store runs on the registrar's own thread.
 */
final class Registrar implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Registrar.class);

    private final Registry registry;
    private final Consumer<RegistryException> onFailure;
    private final ExecutorService writer = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("master-registrar").daemon(true).factory());
    private final AtomicReference<Pending> pending = new AtomicReference<>();
    /** Loop thread only. */
    private Snapshot lastSeen;
    /** Writer thread only: what the registry is known to hold. */
    private RegistryState lastWritten;

    Registrar(Registry registry, RegistryState loaded, Consumer<RegistryException> onFailure) {
        this.registry = registry;
        this.lastWritten = loaded;
        this.onFailure = onFailure;
    }

    /** The newest state to write and everyone waiting for a write at least that new. */
    private record Pending(Snapshot snapshot, List<CompletableFuture<Void>> waiters) {
        Pending with(Snapshot newer, List<CompletableFuture<Void>> more) {
            List<CompletableFuture<Void>> all = new ArrayList<>(waiters);
            all.addAll(more);
            return new Pending(newer, all);
        }
    }

    /**
     * On the loop: queues a write if what must survive changed since the last tick. The loop only
     * gathers references to immutable values and compares them; turning them into the registry's
     * JSON form (every FrameworkInfo printed) happens on the writer thread.
     */
    void onTick(MasterContext ctx) {
        Snapshot now = Snapshot.of(ctx);
        if (!now.equals(lastSeen)) {
            queue(now, List.of());
        }
    }

    /**
     * On the loop: writes the master's state as of now and completes {@code waiters} once the registry
     * holds it (at once if it already did), or fails them with {@link NotDurableException}.
     */
    void store(MasterContext ctx, List<CompletableFuture<Void>> waiters) {
        queue(Snapshot.of(ctx), waiters);
    }

    private void queue(Snapshot snapshot, List<CompletableFuture<Void>> waiters) {
        lastSeen = snapshot;
        Pending previous = pending.getAndUpdate(p -> p == null ? new Pending(snapshot, waiters) : p.with(snapshot, waiters));
        if (previous == null) {
            try {
                writer.execute(this::writePending);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                waiters.forEach(w -> w.completeExceptionally(new NotDurableException("the master is stopping")));
            }
        }
    }

    private void writePending() {
        Pending next = pending.getAndSet(null);
        if (next == null) {
            return;
        }
        try {
            RegistryState state = next.snapshot().toState();
            if (!state.equals(lastWritten)) {   // equal e.g. when agents the registry knows re-register after a failover
                registry.store(state);
                lastWritten = state;
                log.debug("Registry {} written: {} agents, {} frameworks", registry.describe(), state.agents().size(),
                        state.frameworks().size());
            }
        } catch (RegistryException | RuntimeException e) {
            // Encoding can fail too: every waiter still hears that its change was not stored.
            RegistryException failure = e instanceof RegistryException known ? known
                    : new RegistryException("the registry state could not be encoded: " + e, e);
            log.error("Registry write failed: {}", failure.getMessage());
            onFailure.accept(failure);   // first: the master begins dropping what it did not store
            NotDurableException refused = new NotDurableException(failure.getMessage());
            next.waiters().forEach(w -> w.completeExceptionally(refused));
            return;
        }
        next.waiters().forEach(w -> w.complete(null));
    }

    /** The part of the master's state that the registry keeps, as the loop holds it (immutable values). */
    record Snapshot(List<AgentRecord> agents, List<RegistryState.AgentEntry> recovered, List<FrameworkRecord> frameworks,
                    Map<String, Double> weights, Map<String, Quota> quotas, List<String> gone,
                    MaintenanceState maintenance) {

        record AgentRecord(String id, String hostname, List<Agent.Reshape> reservations) {}

        record FrameworkRecord(String id, FrameworkInfo info) {}

        static Snapshot of(MasterContext ctx) {
            List<AgentRecord> agents = new ArrayList<>();
            for (Agent agent : ctx.agents().all()) {
                agents.add(new AgentRecord(agent.id().value(), agent.hostname(), agent.reservations()));
            }
            List<FrameworkRecord> frameworks = ctx.frameworks().all().stream()
                    .map(f -> new FrameworkRecord(f.id().value(), f.info())).toList();
            List<String> gone = ctx.agents().gone().stream().map(AgentId::value).sorted().toList();
            return new Snapshot(agents, List.copyOf(ctx.recoveredAgents().all()), frameworks, ctx.allocator().weights(),
                    ctx.allocator().quotas(), gone, ctx.maintenance().state());
        }

        RegistryState toState() {
            List<RegistryState.AgentEntry> entries = new ArrayList<>();
            for (AgentRecord agent : agents) {
                entries.add(new RegistryState.AgentEntry(agent.id(), agent.hostname(), agent.reservations().stream()
                        .map(r -> new RegistryState.ReservationEntry(r.from().toString(), r.to().toString())).toList()));
            }
            entries.addAll(recovered);
            // In id order, so that agents coming back after a failover (recovered -> admitted) change nothing.
            entries.sort(java.util.Comparator.comparing(RegistryState.AgentEntry::id));
            List<RegistryState.FrameworkEntry> frameworkEntries = frameworks.stream()
                    .map(f -> new RegistryState.FrameworkEntry(f.id(), MesosJson.print(f.info()))).toList();
            Map<String, RegistryState.QuotaEntry> quotaEntries = new LinkedHashMap<>();
            quotas.forEach((role, quota) -> quotaEntries.put(role,
                    new RegistryState.QuotaEntry(quota.guarantee().toString(), quota.limit().toString())));
            return new RegistryState(RegistryState.FORMAT, entries, frameworkEntries, weights, quotaEntries, gone,
                    MaintenanceMessages.entry(maintenance));
        }
    }

    /**
     * Drops a write not started yet (a demoted master must not write over its successor's registry),
     * lets the write in progress finish (a few seconds at most), then stops the writer. A standalone
     * master's last changes (within its last tick) may be lost this way; it only closes when it stops.
     */
    @Override
    public void close() {
        Pending dropped = pending.getAndSet(null);
        if (dropped != null) {
            dropped.waiters().forEach(w -> w.completeExceptionally(new NotDurableException("the master stopped leading")));
        }
        writer.shutdown();
        try {
            writer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        writer.shutdownNow();
        registry.close();
    }
}
