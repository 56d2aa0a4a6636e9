package io.tandem.master;

import io.tandem.api.MesosJson;
import io.tandem.master.registry.Registry;
import io.tandem.master.registry.RegistryException;
import io.tandem.master.registry.RegistryState;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the registry in step with the master: on each tick the loop takes the {@link RegistryState}
 * of what it holds now, and when that differs from the last one, hands it to a writer thread. Many
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
    private final AtomicReference<RegistryState> pending = new AtomicReference<>();
    private RegistryState last;

    Registrar(Registry registry, RegistryState loaded, Consumer<RegistryException> onFailure) {
        this.registry = registry;
        this.last = loaded;
        this.onFailure = onFailure;
    }

    /** On the loop: queues a write if what must survive changed since the last one. */
    void onTick(MasterContext ctx) {
        RegistryState now = stateOf(ctx);
        if (now.equals(last)) {
            return;
        }
        last = now;
        if (pending.getAndSet(now) == null) {
            writer.execute(this::writePending);
        }
    }

    private void writePending() {
        RegistryState state = pending.getAndSet(null);
        if (state == null) {
            return;
        }
        try {
            registry.store(state);
            log.debug("Registry {} written: {} agents, {} frameworks", registry.describe(), state.agents().size(),
                    state.frameworks().size());
        } catch (RegistryException e) {
            log.error("Registry write failed: {}", e.getMessage());
            onFailure.accept(e);
        }
    }

    /** The part of the master's state that the registry keeps. */
    static RegistryState stateOf(MasterContext ctx) {
        List<RegistryState.AgentEntry> agents = new ArrayList<>();
        for (Agent agent : ctx.agents().all()) {
            agents.add(new RegistryState.AgentEntry(agent.id().value(), agent.hostname(), agent.reservations().stream()
                    .map(r -> new RegistryState.ReservationEntry(r.from().toString(), r.to().toString())).toList()));
        }
        agents.addAll(ctx.recoveredAgents().all());
        List<RegistryState.FrameworkEntry> frameworks = ctx.frameworks().all().stream()
                .map(f -> new RegistryState.FrameworkEntry(f.id().value(), MesosJson.print(f.info()))).toList();
        Map<String, RegistryState.QuotaEntry> quotas = new LinkedHashMap<>();
        ctx.allocator().quotas().forEach((role, quota) -> quotas.put(role,
                new RegistryState.QuotaEntry(quota.guarantee().toString(), quota.limit().toString())));
        List<String> gone = ctx.agents().gone().stream().map(AgentId::value).sorted().toList();
        return new RegistryState(RegistryState.FORMAT, agents, frameworks, ctx.allocator().weights(), quotas, gone);
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
