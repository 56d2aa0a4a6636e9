package io.tandem.agent.loop;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that owns the agent's state (tasks, executors, status update queues). Everything
 * that reads or changes that state is submitted here; blocking work (process waits, HTTP, files)
 * runs elsewhere and posts its result back with {@link #execute}.
 *
 * <p>A failing action is logged and does not stop the loop. After {@link #close()} new actions are
 * dropped silently, because late callbacks from exiting processes are normal during shutdown.
 */
public final class EventLoop implements Executor, Timers, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EventLoop.class);

    private final ScheduledExecutorService executor;

    public EventLoop(String name) {
        ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread t = new Thread(runnable, name);
            t.setDaemon(true);
            return t;
        });
        pool.setRemoveOnCancelPolicy(true);
        pool.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.executor = pool;
    }

    @Override
    public void execute(Runnable action) {
        try {
            executor.execute(() -> runLogged(action));
        } catch (RejectedExecutionException e) {
            log.debug("loop closed; dropped an action");
        }
    }

    /** Runs {@code action} on the loop and completes with its result (or its exception). */
    public <T> CompletableFuture<T> call(Callable<T> action) {
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            executor.execute(() -> {
                try {
                    result.complete(action.call());
                } catch (Throwable e) {
                    result.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(new IllegalStateException("agent loop is closed", e));
        }
        return result;
    }

    @Override
    public Timer after(Duration delay, Runnable action) {
        try {
            ScheduledFuture<?> future = executor.schedule(() -> runLogged(action), delay.toNanos(), TimeUnit.NANOSECONDS);
            return () -> future.cancel(false);
        } catch (RejectedExecutionException e) {
            return () -> {};
        }
    }

    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private static void runLogged(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException | Error e) {
            log.error("agent loop action failed", e);
        }
    }
}
