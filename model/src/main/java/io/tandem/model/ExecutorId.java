package io.tandem.model;

import java.util.Objects;

/** Identifies an executor; {@link #toString()} is the bare value so that log lines read naturally. */
public record ExecutorId(String value) implements Comparable<ExecutorId> {
    public ExecutorId {
        Objects.requireNonNull(value, "ExecutorId value");
        if (value.isBlank()) {
            throw new IllegalArgumentException("ExecutorId must not be blank");
        }
    }

    public static ExecutorId of(String value) {
        return new ExecutorId(value);
    }

    @Override
    public int compareTo(ExecutorId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
