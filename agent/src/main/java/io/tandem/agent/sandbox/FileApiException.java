package io.tandem.agent.sandbox;

/** A file API request that cannot be served: the HTTP status and the reason, for the caller. */
final class FileApiException extends Exception {
    final int status;

    FileApiException(int status, String message) {
        super(message);
        this.status = status;
    }
}
