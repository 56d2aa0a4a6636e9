package io.tandem.cli;

import io.tandem.api.ZooKeeperUrl;
import io.tandem.master.MasterConfig;
import io.tandem.master.RemovalRateLimit;
import io.tandem.master.ha.HighAvailability;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The master's flags, shared by {@code tandem master} and {@code tandem local}. */
final class MasterOptions {
    @Option(names = "--port", description = "Port of the master's HTTP API (default: ${DEFAULT-VALUE}; env TANDEM_PORT).")
    int port = 5050;

    @Option(names = "--bind-address", description = "Address to listen on (default: 0.0.0.0; for local: 127.0.0.1).")
    String bindAddress;

    @Option(names = "--heartbeat-interval", defaultValue = "15s",
            description = "How often frameworks get a HEARTBEAT event (default: ${DEFAULT-VALUE}).")
    Duration heartbeatInterval;

    @Option(names = "--agent-report-interval", defaultValue = "1s",
            description = "How often agents report their resources (default: ${DEFAULT-VALUE}).")
    Duration agentReportInterval;

    @Option(names = "--agent-timeout", defaultValue = "15s",
            description = "An agent silent this long is marked unreachable (default: ${DEFAULT-VALUE}).")
    Duration agentTimeout;

    @Option(names = "--allocation-interval", defaultValue = "1s",
            description = "How often resources are offered (default: ${DEFAULT-VALUE}).")
    Duration allocationInterval;

    @Option(names = "--offer-timeout", description = "Rescind offers held longer than this (default: never).")
    Duration offerTimeout;

    @Option(names = "--allocator", description = "Fair-share policy: drf or mmf (default: ${DEFAULT-VALUE}).")
    String allocator = "drf";

    @Option(names = "--fair-share-resource",
            description = "The resource max-min fairness (mmf) shares; drf ignores it (default: ${DEFAULT-VALUE}).")
    String fairShareResource = MasterConfig.DEFAULT_FAIR_SHARE_RESOURCE;

    @Option(names = "--zk", paramLabel = "URL",
            description = "Run as one of several masters that elect a leader through ZooKeeper, "
                    + "zk://host:2181[,host:2181]/path (default: standalone).")
    String zk;

    @Option(names = "--quorum", description = "With --zk: how many masters must take part in the election for one "
            + "to lead, a majority of those run (2 of 3), as Mesos's --quorum; a leader that sees fewer stops acting "
            + "(default: ${DEFAULT-VALUE}).")
    int quorum = 1;

    @Option(names = "--zk-session-timeout", defaultValue = "10s",
            description = "A leader silent towards ZooKeeper this long is replaced (default: ${DEFAULT-VALUE}).")
    Duration zkSessionTimeout;

    @Option(names = "--agent-reregistration-timeout", defaultValue = "10m",
            description = "After a failover, how long agents in the registry have to come back (default: ${DEFAULT-VALUE}).")
    Duration agentReregistrationTimeout;

    @Option(names = "--agent-removal-rate-limit", paramLabel = "N/DURATION",
            description = "At most N agents marked unreachable per DURATION, e.g. 1/10m (default: no limit).")
    String agentRemovalRateLimit;

    String bindAddressOr(String fallback) {
        return bindAddress != null ? bindAddress : fallback;
    }

    MasterConfig toConfig(Path workDir, String hostname, String defaultBindAddress) {
        return new MasterConfig(bindAddressOr(defaultBindAddress), port, workDir, heartbeatInterval, agentReportInterval,
                agentTimeout, allocationInterval, Optional.ofNullable(offerTimeout), allocator,
                fairShareResource, Optional.ofNullable(hostname), agentReregistrationTimeout,
                Optional.ofNullable(agentRemovalRateLimit).map(RemovalRateLimit::parse));
    }

    /** With {@code --zk}: the election and registry settings; empty for a standalone master. */
    Optional<HighAvailability> highAvailability() {
        return Optional.ofNullable(zk).map(url -> highAvailability(ZooKeeperUrl.parse(url)));
    }

    HighAvailability highAvailability(ZooKeeperUrl url) {
        return new HighAvailability(url, quorum, zkSessionTimeout);
    }
}
