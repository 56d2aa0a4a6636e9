package io.tandem.master;

/**
 * A change could not be stored in the registry, so the master does not acknowledge it; the caller
 * gets a 503 with this message and may try again (with the next leader, if this master steps down).
 */
final class NotDurableException extends RuntimeException {
    NotDurableException(String reason) {
        super("The registry could not be written, so the change was not made: " + reason);
    }

    /** This exception when {@code failure} is one (perhaps wrapped by a future), else null. */
    static NotDurableException in(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof NotDurableException found) {
                return found;
            }
        }
        return null;
    }
}
