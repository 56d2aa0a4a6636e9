package io.tandem.agent.loop;

import java.time.Duration;

/**
 * Delayed actions on the agent's loop thread. The production implementation is {@link EventLoop};
 * tests use a manual one whose time only moves when the test says so.
 */
public interface Timers {

    /** Runs {@code action} on the loop thread after {@code delay}, unless cancelled first. */
    Timer after(Duration delay, Runnable action);

    /** A scheduled action. */
    interface Timer {
        /** Cancels the action if it has not run yet; harmless afterwards. */
        void cancel();
    }
}
