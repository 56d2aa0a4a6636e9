package io.tandem.master;

import io.tandem.allocator.sorter.Sorters;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How a master runs. Build one with {@link #defaults(Path)} and the {@code with*} methods, or with the
 * canonical constructor, which validates every field and names the bad one.
 *
 * @param bindHost address to listen on, {@code "0.0.0.0"} for every interface
 * @param port port to listen on; 0 picks a free one (see {@link Master#port()})
 * @param workDir the master's directory for its own files
 * @param heartbeatInterval how often frameworks (and agents) get a HEARTBEAT event on their stream
 * @param agentReportInterval how often agents must send a REPORT
 * @param agentTimeout an agent without a REPORT for this long is marked unreachable
 * @param allocationInterval how often the allocator runs when nothing else triggers it
 * @param offerTimeout offers held longer than this are rescinded; empty: offers never time out
 * @param allocator the allocator's fair-share policy by name, such as {@code "drf"}
 * @param fairShareResource the one resource max-min fairness ({@code "mmf"}) shares, such as {@code "cpus"};
 *     DRF looks at every resource and ignores it
 * @param hostname the name the master advertises in its URL and MasterInfo; empty: derived from
 *     {@code bindHost} (the local host name when binding every interface)
 * @param agentReregistrationTimeout after a failover, how long agents in the registry have to come back
 *     before they are given up (Mesos: {@code --agent_reregister_timeout}, 10 minutes)
 * @param agentRemovalRateLimit at most this many agents marked unreachable per period (Mesos:
 *     {@code --agent_removal_rate_limit}); empty: no limit
 */
public record MasterConfig(
        String bindHost,
        int port,
        Path workDir,
        Duration heartbeatInterval,
        Duration agentReportInterval,
        Duration agentTimeout,
        Duration allocationInterval,
        Optional<Duration> offerTimeout,
        String allocator,
        String fairShareResource,
        Optional<String> hostname,
        Duration agentReregistrationTimeout,
        Optional<RemovalRateLimit> agentRemovalRateLimit) {

    public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(15);
    public static final Duration DEFAULT_AGENT_REPORT_INTERVAL = Duration.ofSeconds(1);
    public static final Duration DEFAULT_AGENT_TIMEOUT = Duration.ofSeconds(15);
    public static final Duration DEFAULT_ALLOCATION_INTERVAL = Duration.ofSeconds(1);
    public static final String DEFAULT_FAIR_SHARE_RESOURCE = "cpus";
    public static final Duration DEFAULT_AGENT_REREGISTRATION_TIMEOUT = Duration.ofMinutes(10);

    public MasterConfig {
        require(bindHost != null && !bindHost.isBlank(), "bindHost must not be blank");
        require(port >= 0 && port <= 65_535, "port must be between 0 and 65535, got " + port);
        require(workDir != null, "workDir must be given");
        requirePositive("heartbeatInterval", heartbeatInterval);
        requirePositive("agentReportInterval", agentReportInterval);
        requirePositive("agentTimeout", agentTimeout);
        requirePositive("allocationInterval", allocationInterval);
        require(agentTimeout.compareTo(agentReportInterval) > 0, "agentTimeout ("
                + HumanDuration.format(agentTimeout) + ") must be longer than agentReportInterval ("
                + HumanDuration.format(agentReportInterval) + "), or every agent would time out between two reports");
        require(offerTimeout != null, "offerTimeout must be given (Optional.empty() for none)");
        offerTimeout.ifPresent(timeout -> requirePositive("offerTimeout", timeout));
        require(allocator != null && Sorters.names().contains(allocator), "allocator '" + allocator
                + "' is unknown; known policies: " + String.join(", ", Sorters.names()));
        require(fairShareResource != null && !fairShareResource.isBlank(), "fairShareResource must name a resource");
        require(hostname != null, "hostname must be given (Optional.empty() to derive it)");
        hostname.ifPresent(name -> require(!name.isBlank(), "hostname must not be blank"));
        requirePositive("agentReregistrationTimeout", agentReregistrationTimeout);
        require(agentRemovalRateLimit != null, "agentRemovalRateLimit must be given (Optional.empty() for none)");
    }

    /** As the canonical constructor, with Mesos's agent re-registration timeout and no removal rate limit. */
    public MasterConfig(String bindHost, int port, Path workDir, Duration heartbeatInterval,
                        Duration agentReportInterval, Duration agentTimeout, Duration allocationInterval,
                        Optional<Duration> offerTimeout, String allocator, String fairShareResource,
                        Optional<String> hostname) {
        this(bindHost, port, workDir, heartbeatInterval, agentReportInterval, agentTimeout, allocationInterval,
                offerTimeout, allocator, fairShareResource, hostname, DEFAULT_AGENT_REREGISTRATION_TIMEOUT,
                Optional.empty());
    }

    /** As the canonical constructor, with max-min fairness over {@link #DEFAULT_FAIR_SHARE_RESOURCE}. */
    public MasterConfig(String bindHost, int port, Path workDir, Duration heartbeatInterval,
                        Duration agentReportInterval, Duration agentTimeout, Duration allocationInterval,
                        Optional<Duration> offerTimeout, String allocator, Optional<String> hostname) {
        this(bindHost, port, workDir, heartbeatInterval, agentReportInterval, agentTimeout, allocationInterval,
                offerTimeout, allocator, DEFAULT_FAIR_SHARE_RESOURCE, hostname);
    }

    /** Mesos's defaults: every interface, port 5050, 15 s heartbeats and agent timeout, DRF. */
    public static MasterConfig defaults(Path workDir) {
        return new MasterConfig("0.0.0.0", 5050, workDir, DEFAULT_HEARTBEAT_INTERVAL,
                DEFAULT_AGENT_REPORT_INTERVAL, DEFAULT_AGENT_TIMEOUT, DEFAULT_ALLOCATION_INTERVAL,
                Optional.empty(), "drf", DEFAULT_FAIR_SHARE_RESOURCE, Optional.empty());
    }

    public MasterConfig withBind(String newBindHost, int newPort) {
        return new MasterConfig(newBindHost, newPort, workDir, heartbeatInterval, agentReportInterval,
                agentTimeout, allocationInterval, offerTimeout, allocator, fairShareResource, hostname,
                agentReregistrationTimeout, agentRemovalRateLimit);
    }

    public MasterConfig withHeartbeatInterval(Duration interval) {
        return new MasterConfig(bindHost, port, workDir, interval, agentReportInterval, agentTimeout,
                allocationInterval, offerTimeout, allocator, fairShareResource, hostname,
                agentReregistrationTimeout, agentRemovalRateLimit);
    }

    public MasterConfig withAgentTimeouts(Duration reportInterval, Duration timeout) {
        return new MasterConfig(bindHost, port, workDir, heartbeatInterval, reportInterval, timeout,
                allocationInterval, offerTimeout, allocator, fairShareResource, hostname,
                agentReregistrationTimeout, agentRemovalRateLimit);
    }

    public MasterConfig withAllocationInterval(Duration interval) {
        return new MasterConfig(bindHost, port, workDir, heartbeatInterval, agentReportInterval, agentTimeout,
                interval, offerTimeout, allocator, fairShareResource, hostname,
                agentReregistrationTimeout, agentRemovalRateLimit);
    }

    public MasterConfig withOfferTimeout(Optional<Duration> timeout) {
        return new MasterConfig(bindHost, port, workDir, heartbeatInterval, agentReportInterval, agentTimeout,
                allocationInterval, timeout, allocator, fairShareResource, hostname,
                agentReregistrationTimeout, agentRemovalRateLimit);
    }

    public MasterConfig withAllocator(String policy) {
        return new MasterConfig(bindHost, port, workDir, heartbeatInterval, agentReportInterval, agentTimeout,
                allocationInterval, offerTimeout, policy, fairShareResource, hostname,
                agentReregistrationTimeout, agentRemovalRateLimit);
    }

    /** The policy by name and the resource max-min fairness shares ({@code --fair-share-resource}). */
    public MasterConfig withAllocator(String policy, String resource) {
        return new MasterConfig(bindHost, port, workDir, heartbeatInterval, agentReportInterval, agentTimeout,
                allocationInterval, offerTimeout, policy, resource, hostname,
                agentReregistrationTimeout, agentRemovalRateLimit);
    }

    public MasterConfig withHostname(String advertised) {
        return new MasterConfig(bindHost, port, workDir, heartbeatInterval, agentReportInterval, agentTimeout,
                allocationInterval, offerTimeout, allocator, fairShareResource,
                Optional.of(Objects.requireNonNull(advertised)), agentReregistrationTimeout, agentRemovalRateLimit);
    }

    /** How long agents in the registry have to come back after a failover, and how fast silent agents are removed. */
    public MasterConfig withAgentRemoval(Duration reregistrationTimeout, Optional<RemovalRateLimit> rateLimit) {
        return new MasterConfig(bindHost, port, workDir, heartbeatInterval, agentReportInterval, agentTimeout,
                allocationInterval, offerTimeout, allocator, fairShareResource, hostname, reregistrationTimeout,
                rateLimit);
    }

    private static void requirePositive(String name, Duration value) {
        require(value != null, name + " must be given");
        require(!value.isNegative() && !value.isZero(), name + " must be positive, got " + HumanDuration.format(value));
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
