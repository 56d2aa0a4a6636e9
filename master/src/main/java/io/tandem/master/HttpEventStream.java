package io.tandem.master;

import io.tandem.api.RecordIo;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletResponse;
import java.io.EOFException;
import java.io.IOException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A subscriber's stream on an asynchronous servlet response: events are queued by the loop and a
 * virtual thread of this stream's own encodes each one, frames it in RecordIO and writes and
 * flushes it. A subscriber that goes away (its connection closes, seen at once by a
 * {@link ConnectionWatch}, or a write fails) calls {@code onBroken} once; closing the stream
 * deliberately does not. Either way the connection is closed once the stream ends.
 *
 * <p>Thread-safe: {@link #send} and {@link #close} may be called from any thread.
 */
final class HttpEventStream<E> implements EventSink<E> {
    private static final Logger log = LoggerFactory.getLogger(HttpEventStream.class);
    /** A subscriber this far behind is treated as gone rather than let the queue grow without end. */
    static final int MAX_QUEUED = 100_000;
    private static final Object END = new Object();

    private final AsyncContext async;
    private final Function<E, byte[]> encoder;
    private final String name;
    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean broken = new AtomicBoolean();
    private final AtomicBoolean notified = new AtomicBoolean();
    private final ConnectionWatch watch;
    private volatile Runnable onBroken;

    /** Made on the Jetty thread that read the request's body whole, right after {@code startAsync}. */
    HttpEventStream(AsyncContext async, Function<E, byte[]> encoder, String name) {
        this.async = async;
        this.encoder = encoder;
        this.name = name;
        async.setTimeout(0);
        async.addListener(new AsyncListener() {
            @Override
            public void onComplete(AsyncEvent event) {}

            @Override
            public void onTimeout(AsyncEvent event) {
                broke(null);
            }

            @Override
            public void onError(AsyncEvent event) {
                broke(event.getThrowable());
            }

            @Override
            public void onStartAsync(AsyncEvent event) {}
        });
        this.watch = ConnectionWatch.start(async.getRequest(),
                () -> broke(new EOFException("the subscriber closed the connection")), name);
    }

    @Override
    public void send(E event) {
        if (closed.get()) {
            return;
        }
        if (queue.size() >= MAX_QUEUED) {
            log.warn("Stream {} is {} events behind; dropping it", name, MAX_QUEUED);
            broke(null);
            return;
        }
        queue.add(event);
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            queue.add(END);
        }
    }

    /**
     * Commits the response (200, the given content type and headers) and starts writing queued
     * events. Events sent before this call are kept and written first.
     */
    void start(String contentType, String headerName, String headerValue, Runnable whenBroken) {
        this.onBroken = whenBroken;
        notifyIfBroken(); // it may have broken before anyone could be told
        Thread.ofVirtual().name("stream-" + name).start(() -> drain(contentType, headerName, headerValue));
    }

    /**
     * Instead of {@link #start}: answers the subscription with {@code status} and a plain-text reason,
     * dropping every event queued for it (the SUBSCRIBED of a subscription that could not be stored).
     */
    void refuse(int status, String reason) {
        closed.set(true);
        queue.clear();
        try {
            HttpReplies.text((HttpServletResponse) async.getResponse(), status, reason);
        } catch (IOException | RuntimeException e) {
            log.debug("Stream {}: could not answer {}", name, status, e);
        } finally {
            watch.close();
            complete();
        }
    }

    @SuppressWarnings("unchecked")
    private void drain(String contentType, String headerName, String headerValue) {
        HttpServletResponse response = (HttpServletResponse) async.getResponse();
        try {
            response.setStatus(HttpServletResponse.SC_OK);
            response.setContentType(contentType);
            response.setHeader(headerName, headerValue);
            ServletOutputStream out = response.getOutputStream();
            out.flush();
            for (Object next = queue.take(); next != END; next = queue.take()) {
                out.write(RecordIo.frame(encoder.apply((E) next)));
                out.flush();
            }
            if (!broken.get()) {
                out.close(); // the last chunk, written before the watch closes the connection
            }
        } catch (IOException | RuntimeException e) {
            broke(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            watch.close();
            complete();
        }
    }

    private void broke(Throwable cause) {
        if (broken.compareAndSet(false, true)) {
            log.debug("Stream {} broke", name, cause);
            if (closed.compareAndSet(false, true)) {
                queue.add(END);
            }
            notifyIfBroken();
        }
    }

    private void notifyIfBroken() {
        Runnable callback = onBroken;
        if (broken.get() && callback != null && notified.compareAndSet(false, true)) {
            callback.run();
        }
    }

    private void complete() {
        try {
            async.complete();
        } catch (IllegalStateException e) {
            log.trace("Stream {} was already complete", name, e);
        }
    }
}
