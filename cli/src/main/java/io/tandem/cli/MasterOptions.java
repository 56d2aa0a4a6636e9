package io.tandem.cli;

import io.tandem.master.MasterConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The master's flags, shared by {@code tandem master} and {@code tandem local}. */
final class MasterOptions {
    @Option(names = "--port", description = "Port of the master's HTTP API (default: ${DEFAULT-VALUE}; env TANDEM_PORT).")
    int port = 5050;

    @Option(names = "--bind-address", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String bindAddress = "0.0.0.0";

    @Option(names = "--heartbeat-interval", description = "How often frameworks get a HEARTBEAT event (default: ${DEFAULT-VALUE}).")
    Duration heartbeatInterval = Duration.ofSeconds(15);

    @Option(names = "--agent-report-interval", description = "How often agents report their resources (default: ${DEFAULT-VALUE}).")
    Duration agentReportInterval = Duration.ofSeconds(1);

    @Option(names = "--agent-timeout", description = "An agent silent this long is marked unreachable (default: ${DEFAULT-VALUE}).")
    Duration agentTimeout = Duration.ofSeconds(15);

    @Option(names = "--allocation-interval", description = "How often resources are offered (default: ${DEFAULT-VALUE}).")
    Duration allocationInterval = Duration.ofSeconds(1);

    @Option(names = "--offer-timeout", description = "Rescind offers held longer than this (default: never).")
    Duration offerTimeout;

    @Option(names = "--allocator", description = "Fair-share policy (default: ${DEFAULT-VALUE}).")
    String allocator = "drf";

    MasterConfig toConfig(Path workDir) {
        return new MasterConfig(bindAddress, port, workDir, heartbeatInterval, agentReportInterval,
                agentTimeout, allocationInterval, Optional.ofNullable(offerTimeout), allocator, Optional.empty());
    }
}
