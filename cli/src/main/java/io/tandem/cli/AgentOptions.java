package io.tandem.cli;

import io.tandem.agent.AgentConfig;
import io.tandem.model.Attributes;
import io.tandem.model.Resources;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Option;

/** The agent's flags, shared by {@code tandem agent} and {@code tandem local}. */
final class AgentOptions {
    @Option(names = "--resources", description = "What the agent offers, e.g. \"cpus:4;mem:8192;disk:20000;ports:[31000-32000]\" (default: detected from the machine).")
    String resources;

    @Option(names = "--attributes", description = "Attributes frameworks can place on, e.g. \"rack:r1;zone:a\".")
    String attributes;

    @Option(names = "--kill-grace-period", defaultValue = "3s",
            description = "SIGTERM-to-SIGKILL delay for tasks without a KillPolicy (default: ${DEFAULT-VALUE}).")
    Duration killGracePeriod;

    /** Refuses malformed specs before anything starts; the message names the bad token. */
    void validate() {
        if (resources != null) {
            rethrow("resources", () -> Resources.parse(resources));
        }
        if (attributes != null) {
            rethrow("attributes", () -> Attributes.parse(attributes));
        }
    }

    private static void rethrow(String what, Runnable parse) {
        try {
            parse.run();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid " + what + ": " + e.getMessage(), e);
        }
    }

    /** The agent's configuration, reporting to {@code masters}, before the per-process fields are set. */
    AgentConfig.Builder toBuilder(List<URI> masters, Path workDir) {
        return AgentConfig.builder(masters, workDir)
                .resources(resources)
                .attributes(attributes)
                .defaultKillGracePeriod(killGracePeriod);
    }
}
