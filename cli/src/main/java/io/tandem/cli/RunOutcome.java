package io.tandem.cli;

import java.util.List;

/**
 * How a {@code tandem run} ended: one line per instance that did not finish, or an error that ended
 * the whole run (the master refused the framework).
 */
record RunOutcome(List<String> failures, String error) {

    RunOutcome {
        failures = List.copyOf(failures);
    }

    static RunOutcome error(String error) {
        return new RunOutcome(List.of(), error);
    }

    boolean succeeded() {
        return failures.isEmpty() && error == null;
    }

    int exitCode() {
        return succeeded() ? 0 : 1;
    }
}
