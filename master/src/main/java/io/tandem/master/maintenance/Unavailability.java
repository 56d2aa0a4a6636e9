package io.tandem.master.maintenance;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * When a machine is expected to be unavailable: from {@code start} for {@code duration}, or from
 * {@code start} on when no duration is given (Mesos: "forever").
 */
public record Unavailability(Instant start, Optional<Duration> duration) {
    /** @throws IllegalArgumentException when the duration is negative (Mesos's rule) */
    public Unavailability {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(duration, "duration");
        if (duration.filter(Duration::isNegative).isPresent()) {
            throw new IllegalArgumentException("Unavailability 'duration' is negative");
        }
    }
}
