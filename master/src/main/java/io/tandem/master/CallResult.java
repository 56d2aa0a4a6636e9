package io.tandem.master;

/**
 * How the master answered a call that does not open a stream: 202 Accepted, or a 4xx status with a
 * message a person can read (it becomes the plain-text response body).
 */
record CallResult(int status, String message) {
    static final int ACCEPTED = 202;
    static final int BAD_REQUEST = 400;
    static final int FORBIDDEN = 403;

    private static final CallResult ACCEPTED_RESULT = new CallResult(ACCEPTED, "");

    static CallResult accepted() {
        return ACCEPTED_RESULT;
    }

    static CallResult badRequest(String message) {
        return new CallResult(BAD_REQUEST, message);
    }

    static CallResult forbidden(String message) {
        return new CallResult(FORBIDDEN, message);
    }

    boolean isAccepted() {
        return status == ACCEPTED;
    }
}
