package io.tandem.master;

import jakarta.servlet.ServletRequest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices at once that the client of a long-lived HTTP/1.1 response closed its connection.
 *
 * <p>Jetty reads an HTTP/1.1 connection only while it waits for a request or its body. Once a
 * request is read whole and its response is still being written, nobody reads, so a client's FIN
 * or RST is found only by a later write that fails (for an event stream, the next heartbeat). A
 * watch asks the connection's {@link EndPoint} to say when the socket becomes readable; a read that
 * then finds the end of the input, or fails, means the client went away (a half-close counts, as it
 * does for Mesos). Bytes sent after the request are dropped: a response that never ends would never
 * answer a pipelined request anyway.
 *
 * <p>Jetty aborts a response that ends while someone else waits to read its connection, so
 * {@link #close()} closes the connection; call it once the response's last byte is written. A stream's
 * connection carries nothing after the stream.
 *
 * <p>Thread-safe.
 */
final class ConnectionWatch implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ConnectionWatch.class);

    private final EndPoint endPoint;
    private final Runnable onHangup;
    private final String name;
    private final AtomicBoolean done = new AtomicBoolean();
    private final ByteBuffer discard = BufferUtil.allocate(512);
    private final Callback readable = Callback.from(this::onReadable, this::hangup);

    private ConnectionWatch(EndPoint endPoint, Runnable onHangup, String name) {
        this.endPoint = endPoint;
        this.onHangup = onHangup;
        this.name = name;
    }

    /**
     * Starts watching the connection that carries {@code request}; {@code onHangup} runs once, on a
     * Jetty thread, when the client closes it. The request's body must have been read whole. Watches
     * nothing (and says so at DEBUG) when the connection cannot be watched: not HTTP/1, or already
     * being read.
     */
    static ConnectionWatch start(ServletRequest request, Runnable onHangup, String name) {
        ServletContextRequest jettyRequest = ServletContextRequest.getServletContextRequest(request);
        Connection connection = jettyRequest == null ? null : jettyRequest.getConnectionMetaData().getConnection();
        HttpVersion version = jettyRequest == null ? null : jettyRequest.getConnectionMetaData().getHttpVersion();
        if (connection == null || (version != HttpVersion.HTTP_1_1 && version != HttpVersion.HTTP_1_0)) {
            log.debug("Not watching {} for a hangup: its connection is {} over {}", name, connection, version);
            return new ConnectionWatch(null, onHangup, name);
        }
        ConnectionWatch watch = new ConnectionWatch(connection.getEndPoint(), onHangup, name);
        watch.arm();
        return watch;
    }

    private void arm() {
        if (!endPoint.tryFillInterested(readable)) {
            log.debug("Not watching {} for a hangup: its connection is already being read", name);
            done.set(true);
        }
    }

    private void onReadable() {
        if (done.get()) {
            return;
        }
        try {
            int read;
            do {
                BufferUtil.clear(discard);
                read = endPoint.fill(discard);
            } while (read > 0);
            if (read < 0) {
                hangup(null);
            } else {
                arm();
            }
        } catch (IOException e) {
            hangup(e);
        }
    }

    private void hangup(Throwable cause) {
        if (done.compareAndSet(false, true)) {
            log.debug("The client of {} closed its connection", name, cause);
            // A writer blocked on the dead socket is released by the close.
            endPoint.close(cause);
            onHangup.run();
        }
    }

    /** Stops watching and closes the connection (not reported as a hangup). Idempotent. */
    @Override
    public void close() {
        if (done.compareAndSet(false, true) && endPoint != null) {
            endPoint.close();
        }
    }
}
