package io.tandem.agent.process;

/**
 * How a process ended, as the JDK reports it: the exit code, or 128 + the signal number when a
 * signal terminated it. The JDK cannot tell "exit 137" from "killed by SIGKILL"; like a shell, we
 * read codes 129..192 as signals.
 */
public record ExitStatus(int code) {
    private static final String[] SIGNALS = {
        null, "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE", "SIGKILL",
        "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT", "SIGCHLD", "SIGCONT",
        "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGPROF",
        "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS",
    };

    public boolean succeeded() {
        return code == 0;
    }

    public boolean signaled() {
        return code > 128 && code <= 128 + 64;
    }

    public String signalName() {
        int signal = code - 128;
        return signal < SIGNALS.length ? SIGNALS[signal] : "signal " + signal;
    }

    /**
     * The status as {@code waitpid(2)} gives it, which is what Mesos reports for an exited executor:
     * the signal number for a killed process, the exit code shifted left by 8 otherwise.
     */
    public int waitStatus() {
        return signaled() ? code - 128 : code << 8;
    }

    /** Mesos's wording: "Command exited with status 3" or "Command terminated with signal SIGKILL". */
    public String describe(String what) {
        return signaled()
                ? what + " terminated with signal " + signalName()
                : what + " exited with status " + code;
    }
}
