package io.tandem.api;

/** A request body that could not be decoded; the message says what was wrong and is shown to the caller. */
public final class MalformedMessageException extends RuntimeException {
    public MalformedMessageException(String message) {
        super(message);
    }

    public MalformedMessageException(String message, Throwable cause) {
        super(message, cause);
    }
}
