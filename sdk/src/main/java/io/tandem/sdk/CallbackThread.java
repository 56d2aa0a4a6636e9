package io.tandem.sdk;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread on which a driver calls user code, so that callbacks run one at a time in the order
 * of the events. A callback that throws is logged and does not stop the thread; after
 * {@link #shutdown()} queued callbacks still run and new ones are dropped.
 *
 * <p>{@link #run} and {@link #shutdown} may be called from any thread.
 */
final class CallbackThread {
    private static final Logger LOG = LoggerFactory.getLogger(CallbackThread.class);

    private final ExecutorService thread;

    CallbackThread(String name) {
        this.thread = Executors.newSingleThreadExecutor(runnable -> {
            Thread t = new Thread(runnable, name);
            t.setDaemon(true);
            return t;
        });
    }

    /** Queues {@code callback}; {@code what} names it in logs. */
    void run(String what, Runnable callback) {
        try {
            thread.execute(() -> {
                try {
                    callback.run();
                } catch (RuntimeException | Error e) {
                    LOG.error("callback for {} threw; continuing", what, e);
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("driver stopped; dropping {}", what);
        }
    }

    void shutdown() {
        thread.shutdown();
    }
}
