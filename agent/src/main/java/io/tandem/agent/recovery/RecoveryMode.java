package io.tandem.agent.recovery;

import java.util.Locale;

/** What a restarted agent does with the tasks an earlier run left running ({@code --recover}). */
public enum RecoveryMode {
    /** Re-attach to every task still running and report how the others ended (Mesos's default). */
    RECONNECT,
    /** Kill every task still running and report it gone. */
    CLEANUP;

    /**
     * {@code "reconnect"} or {@code "cleanup"}.
     *
     * @throws IllegalArgumentException naming the bad value
     */
    public static RecoveryMode parse(String value) {
        try {
            return valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("recover mode '" + value + "' is neither 'reconnect' nor 'cleanup'");
        }
    }
}
