package io.tandem.testkit;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An {@link InstantSource} that moves only when a test moves it, for unit and component tests of
 * code that takes its time injected. Thread-safe: the code under test may read it on its own threads.
 */
public final class FakeClock implements InstantSource {
    private final AtomicReference<Instant> now;

    public FakeClock(Instant start) {
        this.now = new AtomicReference<>(Objects.requireNonNull(start));
    }

    /** Starts at 2025-01-01T00:00:00Z, so failures show readable times. */
    public FakeClock() {
        this(Instant.parse("2025-01-01T00:00:00Z"));
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    /** Moves time forward by {@code step} and returns the new time. */
    public Instant advance(Duration step) {
        if (step.isNegative()) {
            throw new IllegalArgumentException("time only moves forward; got " + step);
        }
        return now.updateAndGet(t -> t.plus(step));
    }
}
