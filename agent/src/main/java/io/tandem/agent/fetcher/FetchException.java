package io.tandem.agent.fetcher;

import java.io.IOException;

/**
 * A {@code CommandInfo.URI} could not be fetched into a sandbox. The message names the URI and the
 * cause, e.g. {@code Failed to fetch 'http://h/a.tgz': the server answered 404}; the task it was
 * for ends TASK_FAILED with REASON_CONTAINER_LAUNCH_FAILED and this message, as in Mesos
 * (whose protos have no fetcher reason).
 */
public final class FetchException extends IOException {
    public FetchException(String uri, String cause) {
        super("Failed to fetch '" + uri + "': " + cause);
    }

    public FetchException(String uri, String cause, Throwable e) {
        super("Failed to fetch '" + uri + "': " + cause, e);
    }
}
