package io.tandem.agent;

import io.tandem.agent.isolation.IsolationChoice;
import io.tandem.agent.recovery.RecoveryMode;
import io.tandem.agent.sandbox.SandboxSettings;
import io.tandem.model.Attributes;
import io.tandem.model.Resources;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How to run an agent. Validated on construction: a malformed resources or attributes spec throws
 * {@link IllegalArgumentException} naming the bad token, as do bad URLs, ports and durations.
 * Start from {@link #builder(List, Path)}, which fills in the defaults.
 *
 * @param masters the masters' base URLs ({@code http://host:port}), tried in turn; or one {@code zk://} URL, whose
 *     leader {@code Agent.start(config, clock, masters)} is given a way to find
 * @param bindHost the address the agent's HTTP server listens on
 * @param port the agent's HTTP port; 0 picks a free one
 * @param workDir where sandboxes and the agent's id live
 * @param resourcesSpec e.g. {@code "cpus:4;mem:8192;ports:[31000-32000]"}; resources it leaves out
 *     (cpus, mem, disk, ports) are detected from the machine; null detects all
 * @param attributesSpec e.g. {@code "rack:r1;zone:a"}; may be null
 * @param hostname the name advertised to the master; null means the local hostname
 * @param reportInterval how often the agent reports when the master does not say
 * @param defaultKillGracePeriod SIGTERM to SIGKILL, for tasks without a kill policy
 * @param executorRegistrationTimeout how long a started executor has to SUBSCRIBE
 * @param executorShutdownGracePeriod SHUTDOWN to SIGKILL, for executors that do not set their own
 * @param updateRetryMin first resend delay of an unacknowledged status update (doubles)
 * @param updateRetryMax longest resend delay of an unacknowledged status update
 * @param reconnectBackoffMin first delay before re-subscribing to the master (doubles)
 * @param reconnectBackoffMax longest delay before re-subscribing to the master
 * @param isolation the isolators, e.g. {@code "cgroups/cpu,cgroups/mem,cgroups/pids,namespaces/pid"},
 *     or {@code "posix"} for none; null uses every isolator the host allows
 * @param capCpus cap every task's CPU at its cpus (CFS quota), not just weigh it
 * @param taskPidsLimit the most processes each task may have (cgroups/pids); 0 for no limit
 * @param sandbox log rotation and sandbox garbage collection
 * @param recover what a restarted agent does with the tasks an earlier run left running
 * @param switchUser when the agent runs as root, run each task as CommandInfo.user, else
 *     FrameworkInfo.user (Mesos's {@code --switch_user}); ignored when the agent is not root
 * @param diskWatchInterval how often {@code disk/du} measures each sandbox
 * @param executorReregistrationTimeout after a restart, how long an executor an earlier run started
 *     has to re-subscribe before it is shut down (Mesos's {@code --executor_reregistration_timeout})
 * @param recoveryTimeout how long executors of checkpointing frameworks keep trying to re-subscribe
 *     to a restarting agent before they give up ({@code MESOS_RECOVERY_TIMEOUT}, Mesos's {@code --recovery_timeout})
 */
public record AgentConfig(List<URI> masters, String bindHost, int port, Path workDir, String resourcesSpec,
                          String attributesSpec, String hostname, Duration reportInterval,
                          Duration defaultKillGracePeriod, Duration executorRegistrationTimeout,
                          Duration executorShutdownGracePeriod, Duration updateRetryMin, Duration updateRetryMax,
                          Duration reconnectBackoffMin, Duration reconnectBackoffMax, String isolation,
                          boolean capCpus, long taskPidsLimit, SandboxSettings sandbox,
                          RecoveryMode recover, boolean switchUser, Duration diskWatchInterval,
                          Duration executorReregistrationTimeout, Duration recoveryTimeout) {

    /** Generous for real work, yet a fork bomb stops there instead of at the machine's limit. */
    public static final long DEFAULT_TASK_PIDS_LIMIT = 4096;

    public AgentConfig {
        masters = List.copyOf(Objects.requireNonNull(masters, "masters"));
        if (masters.isEmpty()) {
            throw new IllegalArgumentException("at least one master URL is needed");
        }
        for (URI master : masters) {
            if ("zk".equals(master.getScheme())) {
                continue; // the leader is read from ZooKeeper; see Agent.start(config, clock, masters)
            }
            if (master.getHost() == null || !("http".equals(master.getScheme()) || "https".equals(master.getScheme()))) {
                throw new IllegalArgumentException("master URL '" + master + "' must look like http://host:port");
            }
        }
        Objects.requireNonNull(bindHost, "bindHost");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is not between 0 and 65535");
        }
        Objects.requireNonNull(workDir, "workDir");
        if (resourcesSpec != null) {
            parse("resources", () -> Resources.parse(resourcesSpec));
        }
        if (attributesSpec != null) {
            parse("attributes", () -> Attributes.parse(attributesSpec));
        }
        positive("reportInterval", reportInterval);
        positive("executorRegistrationTimeout", executorRegistrationTimeout);
        positive("executorReregistrationTimeout", executorReregistrationTimeout);
        positive("recoveryTimeout", recoveryTimeout);
        positive("updateRetryMin", updateRetryMin);
        positive("reconnectBackoffMin", reconnectBackoffMin);
        notNegative("defaultKillGracePeriod", defaultKillGracePeriod);
        notNegative("executorShutdownGracePeriod", executorShutdownGracePeriod);
        atLeast("updateRetryMax", updateRetryMax, updateRetryMin);
        atLeast("reconnectBackoffMax", reconnectBackoffMax, reconnectBackoffMin);
        if (isolation != null) {
            IsolationChoice.parse(isolation);
        }
        Objects.requireNonNull(recover, "recover");
        positive("diskWatchInterval", diskWatchInterval);
        if (taskPidsLimit < 0) {
            throw new IllegalArgumentException("taskPidsLimit must not be negative, got " + taskPidsLimit);
        }
        Objects.requireNonNull(sandbox, "sandbox");
    }

    public static Builder builder(List<URI> masters, Path workDir) {
        return new Builder(masters, workDir);
    }

    /** The resources given in the spec; empty when none were given. */
    public Resources givenResources() {
        return resourcesSpec == null ? Resources.empty() : Resources.parse(resourcesSpec);
    }

    public Attributes attributes() {
        return attributesSpec == null ? Attributes.empty() : Attributes.parse(attributesSpec);
    }

    private static void parse(String what, Runnable parser) {
        try {
            parser.run();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid " + what + ": " + e.getMessage(), e);
        }
    }

    private static void positive(String name, Duration value) {
        if (value == null || value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }

    private static void notNegative(String name, Duration value) {
        if (value == null || value.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, got " + value);
        }
    }

    private static void atLeast(String name, Duration value, Duration minimum) {
        if (value == null || value.compareTo(minimum) < 0) {
            throw new IllegalArgumentException(name + " must be at least " + minimum + ", got " + value);
        }
    }

    /** Fills in Mesos-like defaults; {@link #build()} validates. */
    public static final class Builder {
        private final List<URI> masters;
        private final Path workDir;
        private String bindHost = "0.0.0.0";
        private int port = 5051;
        private String resourcesSpec;
        private String attributesSpec;
        private String hostname;
        private Duration reportInterval = Duration.ofSeconds(5);
        private Duration defaultKillGracePeriod = Duration.ofSeconds(3);
        private Duration executorRegistrationTimeout = Duration.ofMinutes(1);
        private Duration executorShutdownGracePeriod = Duration.ofSeconds(5);
        private Duration updateRetryMin = Duration.ofSeconds(1);
        private Duration updateRetryMax = Duration.ofSeconds(10);
        private Duration reconnectBackoffMin = Duration.ofMillis(500);
        private Duration reconnectBackoffMax = Duration.ofSeconds(30);
        private String isolation;
        private boolean capCpus;
        private long taskPidsLimit = DEFAULT_TASK_PIDS_LIMIT;
        private SandboxSettings sandbox = SandboxSettings.DEFAULTS;
        private RecoveryMode recover = RecoveryMode.RECONNECT;
        private boolean switchUser = true;
        private Duration diskWatchInterval = Duration.ofSeconds(15);
        private Duration executorReregistrationTimeout = Duration.ofSeconds(2);
        private Duration recoveryTimeout = Duration.ofMinutes(15);

        private Builder(List<URI> masters, Path workDir) {
            this.masters = masters;
            this.workDir = workDir;
        }

        public Builder bindHost(String value) { bindHost = value; return this; }
        public Builder port(int value) { port = value; return this; }
        public Builder resources(String spec) { resourcesSpec = spec; return this; }
        public Builder attributes(String spec) { attributesSpec = spec; return this; }
        public Builder hostname(String value) { hostname = value; return this; }
        public Builder reportInterval(Duration value) { reportInterval = value; return this; }
        public Builder defaultKillGracePeriod(Duration value) { defaultKillGracePeriod = value; return this; }
        public Builder executorRegistrationTimeout(Duration value) { executorRegistrationTimeout = value; return this; }
        public Builder executorShutdownGracePeriod(Duration value) { executorShutdownGracePeriod = value; return this; }

        public Builder updateRetry(Duration min, Duration max) {
            updateRetryMin = min;
            updateRetryMax = max;
            return this;
        }

        public Builder reconnectBackoff(Duration min, Duration max) {
            reconnectBackoffMin = min;
            reconnectBackoffMax = max;
            return this;
        }

        /** Null: every isolator the host allows; "posix": none. */
        public Builder isolation(String value) { isolation = value; return this; }
        public Builder capCpus(boolean value) { capCpus = value; return this; }
        public Builder taskPidsLimit(long value) { taskPidsLimit = value; return this; }
        public Builder sandbox(SandboxSettings value) { sandbox = value; return this; }
        /** Rotate stdout/stderr past {@code maxSize} bytes, keeping {@code maxFiles} old files. */
        public Builder sandboxLogRotation(long maxSize, int maxFiles) {
            sandbox = sandbox.withLogRotation(maxSize, maxFiles);
            return this;
        }
        /** Remove a sandbox this long after its task or executor ended. */
        public Builder sandboxGcDelay(Duration value) { sandbox = sandbox.withGcDelay(value); return this; }
        public Builder recover(RecoveryMode value) { recover = value; return this; }
        public Builder switchUser(boolean value) { switchUser = value; return this; }
        public Builder diskWatchInterval(Duration value) { diskWatchInterval = value; return this; }
        public Builder executorReregistrationTimeout(Duration value) { executorReregistrationTimeout = value; return this; }
        public Builder recoveryTimeout(Duration value) { recoveryTimeout = value; return this; }

        public AgentConfig build() {
            return new AgentConfig(masters, bindHost, port, workDir, resourcesSpec, attributesSpec, hostname,
                    reportInterval, defaultKillGracePeriod, executorRegistrationTimeout, executorShutdownGracePeriod,
                    updateRetryMin, updateRetryMax, reconnectBackoffMin, reconnectBackoffMax, isolation, capCpus,
                    taskPidsLimit, sandbox, recover, switchUser, diskWatchInterval, executorReregistrationTimeout,
                    recoveryTimeout);
        }
    }
}
