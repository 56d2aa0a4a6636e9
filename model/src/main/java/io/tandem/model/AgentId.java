package io.tandem.model;

import java.util.Objects;

/** Identifies an agent; {@link #toString()} is the bare value so that log lines read naturally. */
public record AgentId(String value) implements Comparable<AgentId> {
    public AgentId {
        Objects.requireNonNull(value, "AgentId value");
        if (value.isBlank()) {
            throw new IllegalArgumentException("AgentId must not be blank");
        }
    }

    public static AgentId of(String value) {
        return new AgentId(value);
    }

    @Override
    public int compareTo(AgentId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
