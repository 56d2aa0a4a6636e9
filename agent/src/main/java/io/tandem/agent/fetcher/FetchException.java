package io.tandem.agent.fetcher;

import java.io.IOException;

/**
 * A {@code CommandInfo.URI} could not be fetched into a sandbox. The message names the URI and the
 * cause, e.g. {@code Failed to fetch 'http://h/a.tgz': the server answered 404}; the task it was
 * for ends TASK_FAILED with REASON_CONTAINER_LAUNCH_FAILED and this message, as in Mesos (whose
 * protos have no fetcher reason), and Tandem's own reason REASON_FETCHER_FAILED as a status label
 * ({@code io.tandem.api.TandemReasons}).
 */
public final class FetchException extends IOException {
    private static final String PREFIX = "Failed to fetch '";

    public FetchException(String uri, String cause) {
        super(PREFIX + uri + "': " + cause);
    }

    public FetchException(String uri, String cause, Throwable e) {
        super(PREFIX + uri + "': " + cause, e);
    }

    /**
     * Whether a launch failure's message is a fetch failure's (a task's is this exception's message,
     * an executor's has it after {@code Failed to launch executor '<id>': }).
     */
    public static boolean describedIn(String launchFailure) {
        return launchFailure != null && launchFailure.contains(PREFIX);
    }
}
