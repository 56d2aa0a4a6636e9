package io.tandem.model;

import java.util.Objects;

/** Identifies a framework; {@link #toString()} is the bare value so that log lines read naturally. */
public record FrameworkId(String value) implements Comparable<FrameworkId> {
    public FrameworkId {
        Objects.requireNonNull(value, "FrameworkId value");
        if (value.isBlank()) {
            throw new IllegalArgumentException("FrameworkId must not be blank");
        }
    }

    public static FrameworkId of(String value) {
        return new FrameworkId(value);
    }

    @Override
    public int compareTo(FrameworkId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
