package io.tandem.master;

/**
 * Where the loop puts events for one subscriber (a framework's or an agent's stream). {@link #send}
 * never blocks and never does I/O: the HTTP implementation queues the event and a writer thread of
 * its own encodes and writes it, so a slow subscriber cannot stall the master loop.
 */
interface EventSink<E> {
    /** Queues {@code event}; silently drops it once the sink is closed. */
    void send(E event);

    /** Ends the stream after the events already queued. Idempotent. */
    void close();
}
