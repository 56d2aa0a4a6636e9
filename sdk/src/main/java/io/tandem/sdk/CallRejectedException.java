package io.tandem.sdk;

/**
 * A call that the master (or agent) answered with an error status instead of {@code 202 Accepted}.
 * The message reads like {@code "ACCEPT rejected with 400 Bad Request: Offer o-1 is no longer valid"};
 * {@link #body()} is the server's own text.
 */
public final class CallRejectedException extends RuntimeException {
    private final String call;
    private final int status;
    private final String body;

    public CallRejectedException(String call, int status, String body) {
        super(call + " rejected with " + statusLine(status)
                + (body == null || body.isBlank() ? "" : ": " + body.strip()));
        this.call = call;
        this.status = status;
        this.body = body == null ? "" : body;
    }

    /** The call type, e.g. {@code ACCEPT}. */
    public String call() {
        return call;
    }

    public int status() {
        return status;
    }

    public String body() {
        return body;
    }

    static String statusLine(int status) {
        String phrase = switch (status) {
            case 307 -> "Temporary Redirect";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 406 -> "Not Acceptable";
            case 409 -> "Conflict";
            case 415 -> "Unsupported Media Type";
            case 500 -> "Internal Server Error";
            case 503 -> "Service Unavailable";
            default -> "";
        };
        return phrase.isEmpty() ? String.valueOf(status) : status + " " + phrase;
    }
}
