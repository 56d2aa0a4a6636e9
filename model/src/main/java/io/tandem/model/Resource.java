package io.tandem.model;

import java.util.Objects;

/**
 * One named quantity held under one role. {@code role} is {@code "*"} for unreserved resources, or the
 * role they are reserved for ({@code "prod"}, {@code "eng/prod"}).
 */
public record Resource(String name, String role, Value value) {
    public static final String UNRESERVED = Names.UNRESERVED;

    public Resource {
        Names.requireName(name);
        Names.requireRole(role);
        Objects.requireNonNull(value, "value");
    }

    /**
     * Checks role syntax: {@code "*"} or names of letters, digits, '_', '.', '-' joined by '/', as for
     * reservations. Frameworks' roles are checked with it too.
     *
     * @throws IllegalArgumentException naming the role
     */
    public static String requireValidRole(String role) {
        return Names.requireRole(role);
    }

    /** An unreserved scalar, e.g. {@code Resource.scalar("cpus", 2)}. */
    public static Resource scalar(String name, double amount) {
        return new Resource(name, UNRESERVED, Value.Scalar.of(amount));
    }

    /** Unreserved ranges, e.g. {@code Resource.ranges("ports", 31000, 32000)}. */
    public static Resource ranges(String name, long begin, long end) {
        return new Resource(name, UNRESERVED, Value.Ranges.of(begin, end));
    }

    public boolean isReserved() {
        return !role.equals(UNRESERVED);
    }

    public Resource withRole(String newRole) {
        return new Resource(name, newRole, value);
    }

    /** {@code cpus:4} or {@code cpus(prod):4}, the format of {@link Resources#parse}. */
    @Override
    public String toString() {
        return isReserved() ? name + "(" + role + "):" + value.text() : name + ":" + value.text();
    }
}
