package io.tandem.sdk;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with "equal jitter": the n-th delay (n from 0) is drawn uniformly from
 * {@code [d/2, d]} where {@code d = min(max, min * 2^n)}. The jitter keeps many schedulers that lost
 * the same master from reconnecting in lock step.
 *
 * <p>Owned by one thread (the subscription thread of a driver).
 */
final class Backoff {
    private final Duration min;
    private final Duration max;
    private final RandomGenerator random;
    private int attempt;

    Backoff(Duration min, Duration max, RandomGenerator random) {
        if (min.isNegative() || min.isZero() || max.compareTo(min) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < min <= max, got min " + min + ", max " + max);
        }
        this.min = min;
        this.max = max;
        this.random = random;
    }

    /** The delay before the next attempt; each call doubles the ceiling until it reaches max. */
    Duration next() {
        long ceiling = ceilingNanos(attempt);
        if (ceiling < max.toNanos()) {
            attempt++;
        }
        long floor = ceiling / 2;
        return Duration.ofNanos(floor + random.nextLong(ceiling - floor + 1));
    }

    /** Starts again from min, after a successful subscription. */
    void reset() {
        attempt = 0;
    }

    private long ceilingNanos(int n) {
        long nanos = min.toNanos();
        for (int i = 0; i < n && nanos < max.toNanos(); i++) {
            nanos = nanos > Long.MAX_VALUE / 2 ? Long.MAX_VALUE : nanos * 2;
        }
        return Math.min(nanos, max.toNanos());
    }
}
