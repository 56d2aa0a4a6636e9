package io.tandem.frameworks.common;

import java.time.Duration;

/** The one retry backoff of the frameworks: {@code initial × 2^(n−1)} before the n-th retry, at most {@code max}. */
public final class Backoff {
    private Backoff() {}

    /** The wait before retry {@code n} (1 for the first); zero for {@code n <= 0}. */
    public static Duration after(Duration initial, Duration max, int n) {
        if (n <= 0) {
            return Duration.ZERO;
        }
        Duration wait = initial.multipliedBy(1L << Math.min(n - 1, 20));
        return wait.compareTo(max) > 0 ? max : wait;
    }
}
