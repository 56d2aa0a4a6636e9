package io.tandem.model;

import java.util.Objects;

/** Identifies a task; {@link #toString()} is the bare value so that log lines read naturally. */
public record TaskId(String value) implements Comparable<TaskId> {
    public TaskId {
        Objects.requireNonNull(value, "TaskId value");
        if (value.isBlank()) {
            throw new IllegalArgumentException("TaskId must not be blank");
        }
    }

    public static TaskId of(String value) {
        return new TaskId(value);
    }

    @Override
    public int compareTo(TaskId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
