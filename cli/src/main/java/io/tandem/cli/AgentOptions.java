package io.tandem.cli;

import io.tandem.agent.AgentConfig;
import io.tandem.agent.isolation.IsolationChoice;
import io.tandem.agent.sandbox.SandboxSettings;
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

    @Option(names = "--isolation",
            description = "Isolators for tasks, comma-separated: cgroups/cpu, cgroups/mem, cgroups/pids, namespaces/pid,"
                    + " filesystem/tmp, namespaces/network, disk/du; or posix for none (default: the cgroups ones this"
                    + " host allows and disk/du; the namespaces are opt-in).")
    String isolation;

    @Option(names = "--cgroups-enable-cfs",
            description = "Cap every task's CPU at its cpus (CFS quota), not just weigh it; a task can also ask"
                    + " for a cap in TaskInfo.limits.")
    boolean capCpus;

    @Option(names = "--task-pids-limit", defaultValue = "" + AgentConfig.DEFAULT_TASK_PIDS_LIMIT,
            description = "Most processes and threads one task may have with cgroups/pids; 0 for no limit"
                    + " (default: ${DEFAULT-VALUE}).")
    long taskPidsLimit;

    @Option(names = "--sandbox-log-max-size", defaultValue = "10MB",
            description = "Rotate a task's stdout/stderr once it is bigger than this, e.g. 512KB, 10MB"
                    + " (default: ${DEFAULT-VALUE}).")
    String sandboxLogMaxSize;

    @Option(names = "--sandbox-log-max-files", defaultValue = "5",
            description = "Rotated stdout/stderr files kept per task: stdout.1 (newest) .. stdout.N"
                    + " (default: ${DEFAULT-VALUE}).")
    int sandboxLogMaxFiles;

    @Option(names = "--sandbox-gc-delay", defaultValue = "7d",
            description = "Remove a sandbox this long after its task ended; sooner when the work dir's disk is over"
                    + " 90% full (default: ${DEFAULT-VALUE}).")
    Duration sandboxGcDelay;

    @Option(names = "--switch-user", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "When the agent runs as root, run each task as CommandInfo.user, else FrameworkInfo.user"
                    + " (root only when named); --no-switch-user runs tasks as the agent's user (default: on).")
    boolean switchUser;

    @Option(names = "--disk-watch-interval", defaultValue = "15s",
            description = "How often disk/du measures each task's sandbox against its disk (default: ${DEFAULT-VALUE}).")
    Duration diskWatchInterval;

    /** Refuses malformed specs before anything starts; the message names the bad token. */
    void validate() {
        if (resources != null) {
            rethrow("resources", () -> Resources.parse(resources));
        }
        if (attributes != null) {
            rethrow("attributes", () -> Attributes.parse(attributes));
        }
        if (isolation != null) {
            IsolationChoice.parse(isolation);
        }
        if (taskPidsLimit < 0) {
            throw new IllegalArgumentException("--task-pids-limit must not be negative, got " + taskPidsLimit);
        }
        if (diskWatchInterval.isZero() || diskWatchInterval.isNegative()) {
            throw new IllegalArgumentException("--disk-watch-interval must be positive, got " + diskWatchInterval.toMillis() + "ms");
        }
        sandbox();
    }

    private SandboxSettings sandbox() {
        return SandboxSettings.DEFAULTS
                .withLogRotation(ByteSize.parse("--sandbox-log-max-size", sandboxLogMaxSize), sandboxLogMaxFiles)
                .withGcDelay(sandboxGcDelay);
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
                .defaultKillGracePeriod(killGracePeriod)
                .isolation(isolation)
                .capCpus(capCpus)
                .taskPidsLimit(taskPidsLimit)
                .sandbox(sandbox())
                .switchUser(switchUser)
                .diskWatchInterval(diskWatchInterval);
    }
}
