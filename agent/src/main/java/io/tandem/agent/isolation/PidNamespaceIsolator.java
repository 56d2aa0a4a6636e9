package io.tandem.agent.isolation;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code namespaces/pid}: the task runs in its own pid namespace with its own {@code /proc}
 * (util-linux {@code unshare --pid --fork --mount-proc}, which implies a private mount namespace),
 * so it sees only its own processes and cannot signal anyone else's. When the namespace's first
 * process dies the kernel kills the rest.
 *
 * <p>A small {@code sh} is that first process and runs the command as its child: pid 1 ignores
 * signals it has no handler for, so the command itself must not be pid 1, and the shell turns a
 * signalled command into exit status 128+N, which unshare passes on (unshare 2.38 itself reports
 * a signalled child as status 1).
 */
public final class PidNamespaceIsolator implements Isolator {
    public static final String NAME = "namespaces/pid";

    private final String unshare;

    /** @param unshare the path of util-linux's {@code unshare} */
    public PidNamespaceIsolator(String unshare) {
        this.unshare = unshare;
    }

    @Override
    public List<String> names() {
        return List.of(NAME);
    }

    @Override
    public List<String> wrap(List<String> argv) {
        List<String> wrapped = new ArrayList<>(List.of(
                unshare, "--pid", "--fork", "--mount-proc", "--kill-child", "--",
                "/bin/sh", "-c", "\"$@\"; exit $?", "tandem-init"));
        wrapped.addAll(argv);
        return wrapped;
    }
}
