package io.tandem.agent.isolation;

import io.tandem.agent.process.Confinement;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * The namespace isolators, which the agent's process launcher applies as it forks the task (no
 * helper program):
 * <ul>
 * <li>{@code namespaces/pid}: own pid namespace and {@code /proc}, so the task sees only its own
 *     processes and cannot signal anyone else's. An init runs as pid 1 and the task's command as
 *     its child (pid 1 ignores signals it has no handler for, so the command must not be pid 1);
 *     when the command exits, the init exits and the kernel kills the rest of the namespace.
 * <li>{@code filesystem/tmp}: own mount namespace with private propagation, the sandbox's {@code tmp/}
 *     bind-mounted on {@code /tmp}, so tasks neither see nor litter each other's temporary files.
 * <li>{@code namespaces/network}: own network namespace with only loopback, up.
 * </ul>
 */
public final class NamespaceIsolator implements Isolator {
    public static final String PID = "namespaces/pid";
    public static final String TMP = "filesystem/tmp";
    public static final String NETWORK = "namespaces/network";
    public static final List<String> NAMES = List.of(PID, TMP, NETWORK);

    private final Set<String> names;

    public NamespaceIsolator(Set<String> names) {
        if (names.isEmpty() || !NAMES.containsAll(names)) {
            throw new IllegalArgumentException("namespace isolators are " + NAMES + ", got " + names);
        }
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
    public Confinement confine(Container container, Confinement confinement) {
        Confinement confined = confinement;
        if (names.contains(PID)) {
            confined = confined.withPidNamespace();
        }
        if (names.contains(TMP)) {
            confined = confined.withTmp(sandboxOf(container).resolve("tmp"));
        }
        if (names.contains(NETWORK)) {
            confined = confined.withNetwork();
        }
        return confined;
    }

    private static Path sandboxOf(Container container) {
        return container.sandbox().orElseThrow(() -> new IllegalArgumentException(
                TMP + " needs the task's sandbox, and " + container + " has none"));
    }
}
