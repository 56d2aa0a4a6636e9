package io.tandem.model;

import java.util.Objects;

/** Identifies an offer; {@link #toString()} is the bare value so that log lines read naturally. */
public record OfferId(String value) implements Comparable<OfferId> {
    public OfferId {
        Objects.requireNonNull(value, "OfferId value");
        if (value.isBlank()) {
            throw new IllegalArgumentException("OfferId must not be blank");
        }
    }

    public static OfferId of(String value) {
        return new OfferId(value);
    }

    @Override
    public int compareTo(OfferId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
