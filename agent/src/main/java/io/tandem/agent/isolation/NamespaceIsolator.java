package io.tandem.agent.isolation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The namespace isolators, made by one util-linux {@code unshare} so a launch costs one extra exec
 * whatever the mix:
 * <ul>
 * <li>{@code namespaces/pid}: own pid namespace and {@code /proc} ({@code --pid --fork --mount-proc}),
 *     so the task sees only its own processes and cannot signal anyone else's; when the namespace's
 *     first process dies the kernel kills the rest.
 * <li>{@code filesystem/tmp}: own mount namespace with private propagation, the sandbox's {@code tmp/}
 *     bind-mounted on {@code /tmp}, so tasks neither see nor litter each other's temporary files.
 * <li>{@code namespaces/network}: own network namespace with only loopback, up.
 * </ul>
 * A small {@code sh} runs first inside the namespaces: it sets up the mounts and loopback, then runs
 * the command. With a pid namespace it stays as pid 1 and runs the command as its child: pid 1
 * ignores signals it has no handler for, so the command itself must not be pid 1, and the shell
 * turns a signalled command into exit status 128+N, which unshare passes on (unshare 2.38 itself
 * reports a signalled child as status 1). Setup failures exit 125 with the reason on stderr.
 */
public final class NamespaceIsolator implements Isolator {
    public static final String PID = "namespaces/pid";
    public static final String TMP = "filesystem/tmp";
    public static final String NETWORK = "namespaces/network";
    public static final List<String> NAMES = List.of(PID, TMP, NETWORK);

    private final Tools tools;
    private final Set<String> names;

    /** The programs used, by absolute path. */
    public record Tools(String unshare, String mount, String ip) {}

    public NamespaceIsolator(Tools tools, Set<String> names) {
        if (names.isEmpty() || !NAMES.containsAll(names)) {
            throw new IllegalArgumentException("namespace isolators are " + NAMES + ", got " + names);
        }
        this.tools = tools;
        this.names = Set.copyOf(names);
    }

    @Override
    public List<String> names() {
        return NAMES.stream().filter(names::contains).toList();
    }

    @Override
    public void prepare(Container container) throws IOException {
        if (names.contains(TMP)) {
            Files.createDirectories(sandboxOf(container).resolve("tmp"));
        }
    }

    @Override
    public List<String> wrap(Container container, List<String> argv) {
        List<String> wrapped = new ArrayList<>(List.of(tools.unshare()));
        StringBuilder script = new StringBuilder();
        if (names.contains(PID)) {
            wrapped.addAll(List.of("--pid", "--fork", "--mount-proc", "--kill-child"));
        }
        if (names.contains(TMP)) {
            wrapped.addAll(List.of("--mount", "--propagation", "private"));
            script.append(tools.mount()).append(" --bind \"$1/tmp\" /tmp || exit 125; ");
        }
        if (names.contains(NETWORK)) {
            wrapped.add("--net");
            script.append(tools.ip()).append(" link set lo up || exit 125; ");
        }
        script.append(names.contains(PID) ? "shift; \"$@\"; exit $?" : "shift; exec \"$@\"");
        wrapped.addAll(List.of("--", "/bin/sh", "-c", script.toString(), "tandem-init",
                container.sandbox().map(Path::toString).orElse("/")));
        wrapped.addAll(argv);
        return wrapped;
    }

    private static Path sandboxOf(Container container) {
        return container.sandbox().orElseThrow(() -> new IllegalArgumentException(
                TMP + " needs the task's sandbox, and " + container + " has none"));
    }
}
