package io.tandem.frameworks.common;

/**
 * A scheduler's HTTP API refused a request (4xx: a bad file, an unknown job or app, a demand no agent
 * can meet), in the scheduler's own words. An {@link IllegalStateException}: by the project's CLI
 * convention it exits 1 (the request reached a scheduler and was refused), while usage errors caught
 * before anything is sent are {@link IllegalArgumentException}s and exit 2.
 */
public final class SchedulerRefusal extends IllegalStateException {
    private final int status;

    public SchedulerRefusal(int status, String message) {
        super(message);
        this.status = status;
    }

    /** The HTTP status the scheduler answered with (400, 404, 409...). */
    public int status() {
        return status;
    }
}
