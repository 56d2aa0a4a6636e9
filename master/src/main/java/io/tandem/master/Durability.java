package io.tandem.master;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Holds acknowledgements back until the registry holds what they acknowledge: an agent's SUBSCRIBED,
 * the 200 of an operator call, the updates that tell frameworks an agent is gone. A change is applied
 * on the loop at once; {@link #durable()} then returns a future completed once a registry write made
 * after the change succeeded. Everything asked for before the loop gets to the flush (the events
 * already queued on it) shares one write, so a thousand agents subscribing at once cost a few writes,
 * not a thousand.
 *
 * <p>If the write fails the futures fail with {@link NotDurableException} and the master gives up the
 * state that was not stored (it steps down, or a standalone master starts again from its registry),
 * so nothing in memory claims what the registry does not hold.
 *
 * <p>Owned by the master loop thread. Without a registrar (unit tests of the loop) every change counts
 * as durable at once and {@link #then} runs its action right away.
 */
final class Durability {
    private final MasterContext ctx;
    private final Executor loop;
    private Registrar registrar;
    private final List<CompletableFuture<Void>> waiting = new ArrayList<>();

    Durability(MasterContext ctx, Executor loop) {
        this.ctx = ctx;
        this.loop = loop;
    }

    void attach(Registrar keeper) {
        this.registrar = keeper;
    }

    /**
     * On the loop, after a change: a future completed (on the registrar's thread) once the registry
     * holds the master's state as of now, or failed with {@link NotDurableException}.
     */
    CompletableFuture<Void> durable() {
        if (registrar == null) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> stored = new CompletableFuture<>();
        if (waiting.isEmpty()) {
            try {
                loop.execute(this::flush);   // behind the events already queued: one write for all of them
            } catch (RejectedExecutionException e) {
                return CompletableFuture.failedFuture(new NotDurableException("the master is stopping"));
            }
        }
        waiting.add(stored);
        return stored;
    }

    /** Runs {@code onLoop} on the loop once the change just made is durable; never if it cannot be stored. */
    void then(Runnable onLoop) {
        if (registrar == null) {
            onLoop.run();
            return;
        }
        durable().thenRunAsync(onLoop, loop);
    }

    private void flush() {
        List<CompletableFuture<Void>> batch = List.copyOf(waiting);
        waiting.clear();
        registrar.store(ctx, batch);
    }
}
