package io.tandem.master;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** An {@link EventSink} that keeps what it is sent, for assertions. Thread-safe. */
final class RecordingSink<E> implements EventSink<E> {
    private final List<E> events = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    @Override
    public void send(E event) {
        if (!closed) {
            events.add(event);
        }
    }

    @Override
    public void close() {
        closed = true;
    }

    List<E> events() {
        return List.copyOf(events);
    }

    <T extends E> List<T> eventsOf(Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    E last() {
        return events.getLast();
    }

    void clear() {
        events.clear();
    }

    boolean isClosed() {
        return closed;
    }
}
