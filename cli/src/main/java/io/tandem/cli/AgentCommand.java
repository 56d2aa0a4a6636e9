package io.tandem.cli;

import io.tandem.agent.Agent;
import io.tandem.agent.recovery.RecoveryMode;
import io.tandem.api.ZooKeeperUrl;
import io.tandem.sdk.ZooKeeperMasterDetector;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code tandem agent}: runs one agent until SIGTERM or Ctrl-C; its tasks are killed on the way out
 * and their terminal updates kept in the work dir for the next start. After a crash ({@code kill -9})
 * the tasks keep running, and the next start on the same work dir re-attaches to them.
 */
@Command(name = "agent", mixinStandardHelpOptions = true,
        description = "Run an agent: it reports this machine's resources to the master and runs tasks.")
final class AgentCommand implements Callable<Integer> {
    @Mixin
    AgentOptions agent = new AgentOptions();

    @Option(names = "--master", required = true, description = "The master, host:port or http://host:port; several separated by commas; or zk://host:2181/path (env TANDEM_MASTER).")
    String master;

    @Option(names = "--port", description = "Port of the agent's HTTP API (default: ${DEFAULT-VALUE}; env TANDEM_PORT).")
    int port = 5051;

    @Option(names = "--bind-address", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String bindAddress = "0.0.0.0";

    @Option(names = "--hostname", description = "Hostname the agent advertises (default: this machine's).")
    String hostname;

    @Option(names = "--work-dir", required = true, description = "Directory for sandboxes and the agent's state (env TANDEM_WORK_DIR).")
    Path workDir;

    @Option(names = "--recover", description = "At start, what to do with the tasks an earlier run on this work dir"
            + " left running: reconnect (re-attach to them, report how the others ended) or cleanup (kill them and"
            + " report them lost) (default: ${DEFAULT-VALUE}).")
    String recover = "reconnect";

    @Option(names = "--executor-reregistration-timeout", defaultValue = "2s",
            description = "After a restart, how long each executor the earlier run started (of a framework that"
                    + " checkpoints) has to re-subscribe before it is shut down and its tasks are lost"
                    + " (default: ${DEFAULT-VALUE}).")
    Duration executorReregistrationTimeout;

    @Option(names = "--recovery-timeout", defaultValue = "15m",
            description = "How long executors of checkpointing frameworks keep trying to reach a restarting agent"
                    + " before they give up (their MESOS_RECOVERY_TIMEOUT) (default: ${DEFAULT-VALUE}).")
    Duration recoveryTimeout;

    @Option(names = "--log-level", description = "ERROR, WARN, INFO, DEBUG or TRACE (default: ${DEFAULT-VALUE}).")
    String logLevel = "INFO";

    @Override
    public Integer call() throws Exception {
        Logging.setLevel(logLevel);
        agent.validate();
        positive("--executor-reregistration-timeout", executorReregistrationTimeout);
        positive("--recovery-timeout", recoveryTimeout);
        var config = agent.toBuilder(masterUrls(master), workDir)
                .port(port).bindHost(bindAddress).hostname(hostname).recover(RecoveryMode.parse(recover))
                .executorReregistrationTimeout(executorReregistrationTimeout).recoveryTimeout(recoveryTimeout).build();
        Optional<ZooKeeperUrl> zk = ZooKeeperUrl.find(master);
        try (ZooKeeperMasterDetector detector = zk.map(ZooKeeperMasterDetector::connect).orElse(null);
             Agent running = detector == null ? Agent.start(config, InstantSource.system())
                     : Agent.start(config, InstantSource.system(), attempt -> detector.leader())) {
            System.out.println("Tandem agent listening on " + running.url() + ", reporting to " + master);
            Shutdown.awaitSignal();
        }
        return 0;
    }

    private static void positive(String flag, Duration value) {
        if (value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(flag + " must be positive, got " + value.toMillis() + "ms");
        }
    }

    /** {@code "h1:5050,http://h2:5050"} as URLs; a bare host:port means http. */
    static List<URI> masterUrls(String masters) {
        if (ZooKeeperUrl.isZooKeeper(masters)) {
            return List.of(URI.create(ZooKeeperUrl.parse(masters).toString()));
        }
        return Arrays.stream(masters.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .map(s -> URI.create(s.contains("://") ? s : "http://" + s))
                .toList();
    }
}
