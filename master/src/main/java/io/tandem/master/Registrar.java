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
 * writes a second otherwise. A failed write is reported to {@code onFailure}: the master then stops
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
    private final AtomicReference<Snapshot> pending = new AtomicReference<>();
    /** Loop thread only. */
    private Snapshot lastSeen;
    /** Writer thread only. */
    private RegistryState lastWritten;

    Registrar(Registry registry, RegistryState loaded, Consumer<RegistryException> onFailure) {
        this.registry = registry;
        this.lastWritten = loaded;
        this.onFailure = onFailure;
    }

    /**
     * On the loop: queues a write if what must survive changed since the last tick. The loop only
     * gathers references to immutable values and compares them; turning them into the registry's
     * JSON form (every FrameworkInfo printed) happens on the writer thread.
     */
    void onTick(MasterContext ctx) {
        Snapshot now = Snapshot.of(ctx);
        if (now.equals(lastSeen)) {
            return;
        }
        lastSeen = now;
        if (pending.getAndSet(now) == null) {
            writer.execute(this::writePending);
        }
    }

    private void writePending() {
        Snapshot snapshot = pending.getAndSet(null);
        if (snapshot == null) {
            return;
        }
        RegistryState state = snapshot.toState();
        if (state.equals(lastWritten)) {
            return;   // e.g. agents the registry already knows re-registering after a failover
        }
        lastWritten = state;
        try {
            registry.store(state);
            log.debug("Registry {} written: {} agents, {} frameworks", registry.describe(), state.agents().size(),
                    state.frameworks().size());
        } catch (RegistryException e) {
            log.error("Registry write failed: {}", e.getMessage());
            onFailure.accept(e);
        }
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
        pending.set(null);
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
