package io.tandem.master.registry;

/**
 * The registry could not be read or written. A write refused because another master wrote since
 * this one last read ({@link #isConflict()}) means this master is no longer the leader.
 */
public final class RegistryException extends Exception {
    private final boolean conflict;

    public RegistryException(String message, Throwable cause) {
        super(message, cause);
        this.conflict = false;
    }

    public RegistryException(String message) {
        this(message, false);
    }

    private RegistryException(String message, boolean conflict) {
        super(message);
        this.conflict = conflict;
    }

    static RegistryException conflict(String message) {
        return new RegistryException(message, true);
    }

    public boolean isConflict() {
        return conflict;
    }
}
