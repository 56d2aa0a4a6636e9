package io.tandem.master;

/**
 * How the master answered a call that does not open a stream: 202 Accepted (200 OK for some operator
 * calls), or a 4xx status with a
 * message a person can read (it becomes the plain-text response body).
 */
record CallResult(int status, String message) {
    static final int OK = 200;
    static final int ACCEPTED = 202;
    static final int BAD_REQUEST = 400;
    static final int FORBIDDEN = 403;

    private static final CallResult ACCEPTED_RESULT = new CallResult(ACCEPTED, "");

    static CallResult accepted() {
        return ACCEPTED_RESULT;
    }

    /** 200 OK without a body, as Mesos answers UPDATE_WEIGHTS and UPDATE_QUOTA. */
    static CallResult ok() {
        return new CallResult(OK, "");
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
