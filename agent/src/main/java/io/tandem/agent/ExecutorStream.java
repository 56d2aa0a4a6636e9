package io.tandem.agent;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.apache.mesos.v1.executor.Protos.Event;

/**
 * The events waiting to be written to one executor's SUBSCRIBE response. The loop thread adds
 * events; the HTTP thread holding the response takes them, encodes and writes them.
 *
 * <p>Thread-safe.
 */
final class ExecutorStream {
    private static final Event END = Event.newBuilder().setType(Event.Type.UNKNOWN).build();

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private volatile boolean closed;

    void send(Event event) {
        if (!closed) {
            events.add(event);
        }
    }

    /** Ends the response after the events already queued. */
    void close() {
        closed = true;
        events.add(END);
    }

    boolean isClosed() {
        return closed;
    }

    /** The next event, blocking until there is one; null once the stream is closed. */
    Event next() throws InterruptedException {
        Event event = events.take();
        return event == END ? null : event;
    }
}
