package io.tandem.agent.health;

import java.util.concurrent.CompletableFuture;

/**
 * One way of asking whether a task is healthy: run a command, GET a URL, open a TCP connection.
 * The {@link HealthChecker} completes a probe's future itself when it times out; the probe then
 * abandons the attempt (a command is killed).
 */
public interface Probe {

    /** Starts one attempt; never blocks the caller. The future may complete on any thread. */
    CompletableFuture<Outcome> run();

    /** What one attempt found; {@code detail} says why it failed (or what passed), for a person. */
    record Outcome(boolean healthy, String detail) {
        public static Outcome healthy(String detail) {
            return new Outcome(true, detail);
        }

        public static Outcome unhealthy(String detail) {
            return new Outcome(false, detail);
        }
    }
}
