package io.tandem.master;

import io.tandem.api.agent.AgentProtocol;
import io.tandem.master.ha.HighAvailability;
import io.tandem.master.ha.LeaderGate;
import io.tandem.master.ha.Leadership;
import io.tandem.master.registry.FileRegistry;
import io.tandem.master.registry.Registry;
import io.tandem.master.registry.RegistryException;
import io.tandem.master.registry.ZooKeeperRegistry;
import java.net.InetAddress;
import java.nio.file.Files;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.mesos.v1.Protos;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Tandem master: the HTTP endpoints for frameworks ({@code /api/v1/scheduler}), agents
 * ({@code /internal/agent}) and operators ({@code /api/v1}, {@code GET /health}) in front of the
 * master loop, which owns all state. See the module README for the design.
 *
 * <pre>{@code
 * try (Master master = Master.start(MasterConfig.defaults(dir).withBind("127.0.0.1", 0), Clock.systemUTC())) {
 *     URI url = master.url(); // http://127.0.0.1:<port>
 * }
 * }</pre>
 */
public final class Master implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Master.class);
    /** How often timeouts, heartbeats and the periodic allocation are checked against the clock. */
    static final Duration TICK_PERIOD = Duration.ofMillis(100);

    private final Server server;
    private final LeaderGate gate;
    private final int port;
    private final URI url;
    private final MasterConfig config;
    private final InstantSource clock;
    private final Protos.MasterInfo info;
    private final Object terms = new Object();
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
    private MasterTerm term;          // guarded by terms
    private Leadership leadership;    // null when standalone; set once in start
    private volatile CachedLeader cachedLeader;
    private static final Duration LEADER_CACHE = Duration.ofMillis(200);
    private static final Duration REHEARSAL_CHECK = Duration.ofSeconds(5);
    private static final Duration RESTART_DELAY = Duration.ofSeconds(5);
    /** Connections the kernel queues for the master before it accepts them (a listen(2) backlog). */
    private static final int ACCEPT_QUEUE = 1024;
    private ScheduledExecutorService rehearsals;   // null when standalone

    private Master(Server server, LeaderGate gate, int port, URI url, MasterConfig config, InstantSource clock,
                   Protos.MasterInfo info) {
        this.server = server;
        this.gate = gate;
        this.port = port;
        this.url = url;
        this.config = config;
        this.clock = clock;
        this.info = info;
    }

    /**
     * A standalone master: binds the port, reads the registry in the work dir, starts the loop and serves.
     *
     * @throws IllegalStateException if the server cannot start (for example, the port is taken)
     */
    public static Master start(MasterConfig config, InstantSource clock) {
        return start(config, Optional.empty(), clock);
    }

    /**
     * A master, standalone or (with {@code ha}) one of several electing a leader through ZooKeeper.
     * In HA mode the HTTP server answers at once, with 307 or 503 until this master is elected; it then
     * reads the registry from ZooKeeper and serves until it loses its leadership.
     *
     * @throws IllegalStateException if the server cannot start (for example, the port is taken)
     */
    public static Master start(MasterConfig config, Optional<HighAvailability> ha, InstantSource clock) {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost(config.bindHost());
        connector.setPort(config.port());
        // A thousand agents reconnect at once after a failover: with the JDK's default backlog of 50,
        // the kernel dropped their SYNs (68 in a 3-round FailoverBench) and each drop cost an agent a
        // second. The kernel caps this at net.core.somaxconn (4096 by default).
        connector.setAcceptQueueSize(ACCEPT_QUEUE);
        // Streams are idle between heartbeats; never let Jetty close one for that.
        connector.setIdleTimeout(Math.max(30_000, config.heartbeatInterval().toMillis() * 4));
        server.addConnector(connector);
        Master master = null;
        try {
            Files.createDirectories(config.workDir());
            connector.open();
            int port = connector.getLocalPort();
            String hostname = config.hostname().orElseGet(() -> hostnameFor(config.bindHost()));
            Protos.MasterInfo info = masterInfo(UUID.randomUUID().toString(), hostname, port);
            URI url = URI.create("http://" + hostForUrl(hostname) + ":" + port);
            Master[] self = new Master[1];
            LeaderGate gate = new LeaderGate(() -> self[0] == null ? Optional.empty() : self[0].otherLeader());
            master = new Master(server, gate, port, url, config, clock, info);
            self[0] = master;
            server.setHandler(gate);
            server.start();
            log.info("Master {} listening on {} (bound to {}:{})", info.getId(), url, config.bindHost(), port);
            if (ha.isPresent()) {
                master.leadership = Leadership.join(ha.get(), info, master.new Elections(ha.get()));
                master.rehearseWhileStandingBy(ha.get());
            } else {
                master.lead(new FileRegistry(config.workDir()));
            }
            return master;
        } catch (Exception e) {
            if (master != null) {
                master.close();
            }
            stopQuietly(server);
            throw new IllegalStateException("cannot start the master on " + config.bindHost() + ":" + config.port()
                    + ": " + e.getMessage(), e);
        }
    }

    /**
     * A standby rehearses taking over (see {@link MasterTerm#rehearse}) at start, and again whenever the
     * registry has doubled in size since its last rehearsal (checked every {@link #REHEARSAL_CHECK}), so
     * that its JVM is warm for a registry of about the size it will read once elected.
     */
    private void rehearseWhileStandingBy(HighAvailability ha) {
        rehearsals = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("master-rehearsal").daemon(true).priority(Thread.MIN_PRIORITY).factory());
        ZooKeeperRegistry registry = new ZooKeeperRegistry(leadership.client(), ha.zk().registryPath());
        long[] rehearsedBytes = {-1};
        rehearsals.scheduleWithFixedDelay(() -> {
            long bytes = registry.storedBytes();
            if (!gate.isLeading() && (rehearsedBytes[0] < 0 || bytes > 2 * Math.max(rehearsedBytes[0], 1_000))) {
                rehearsedBytes[0] = bytes;
                MasterTerm.rehearse(config, clock, info, registry);
            }
        }, 0, REHEARSAL_CHECK.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Turns the master's leadership on and off as ZooKeeper's election says. */
    private final class Elections implements Leadership.Listener {
        private final String registryPath;

        Elections(HighAvailability ha) {
            this.registryPath = ha.zk().registryPath();
        }

        @Override
        public void elected(CuratorFramework client) {
            try {
                lead(new ZooKeeperRegistry(client, registryPath));
            } catch (Exception e) {
                log.error("Elected, but cannot lead: {}", e.getMessage());
                leadership.abdicate("cannot lead: " + e.getMessage());
            }
        }

        @Override
        public void demoted(String why) {
            follow(why);
        }
    }

    /** Reads the registry and serves; every request goes to the new term's endpoints from now on. */
    private void lead(Registry registry) throws Exception {
        synchronized (terms) {
            if (closed.get()) {
                return;
            }
            // Each term mints ids under a new master id, so ids never repeat across this master's terms.
            Protos.MasterInfo termInfo = info.toBuilder().setId(UUID.randomUUID().toString()).build();
            term = MasterTerm.begin(config, clock, termInfo, registry, server, this::registryFailed);
            gate.lead(term.endpoints());
        }
    }

    /** Stops serving at once: requests are redirected from now on, every stream ends, the state is dropped. */
    private void follow(String why) {
        gate.follow();
        synchronized (terms) {
            if (term != null) {
                term.close();
                term = null;
                log.info("Master on {} is a standby now ({}); its streams are closed and its state dropped", url, why);
            }
        }
    }

    private void registryFailed(RegistryException e) {
        if (leadership != null) {
            leadership.abdicate("the registry could not be written: " + e.getMessage());
        } else {
            // What the loop holds beyond the registry was never acknowledged; drop it and read the registry again.
            log.error("The registry could not be written ({}); the master drops its state and starts again from "
                    + "its registry", e.getMessage());
            Thread.ofVirtual().name("master-restart").start(() -> leadAgain(e.getMessage()));
        }
    }

    private void leadAgain(String why) {
        follow("the registry could not be written: " + why);
        while (!closed.get()) {
            try {
                lead(new FileRegistry(config.workDir()));
                return;
            } catch (Exception e) {
                log.error("Cannot serve again from the registry ({}); trying again in {}", e.getMessage(),
                        HumanDuration.format(RESTART_DELAY));
                try {
                    Thread.sleep(RESTART_DELAY);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    /**
     * The leader's URL when another master leads; empty when none does, or ZooKeeper names this one.
     * Read from ZooKeeper at most every {@link #LEADER_CACHE}: after a failover every agent and framework
     * asks a standby at once, and each answer would otherwise be a ZooKeeper read.
     */
    private Optional<URI> otherLeader() {
        if (leadership == null) {
            return Optional.empty();
        }
        CachedLeader cached = cachedLeader;
        long now = System.nanoTime();
        if (cached != null && now - cached.readAt() < LEADER_CACHE.toNanos()) {
            return cached.leader();
        }
        Optional<URI> leader = readLeader();
        cachedLeader = new CachedLeader(leader, now);
        return leader;
    }

    private record CachedLeader(Optional<URI> leader, long readAt) {}

    private Optional<URI> readLeader() {
        return leadership.leader()
                .map(leader -> URI.create("http://" + hostForUrl(leader.getAddress().getHostname()) + ":"
                        + leader.getAddress().getPort()))
                .filter(leader -> !leader.equals(url));
    }

    /** Whether this master leads and serves now (always, once started, for a standalone master). */
    public boolean isLeading() {
        return gate.isLeading();
    }

    static ServletContextHandler endpoints(MasterLoop loop) {
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.addServlet(new ServletHolder("scheduler", new SchedulerApiServlet(loop)), SchedulerApiServlet.PATH);
        context.addServlet(new ServletHolder("agents", new AgentEndpoint(loop)), AgentProtocol.PATH);
        OperatorApi operator = new OperatorApi(loop);
        context.addServlet(new ServletHolder("operator", operator), OperatorApi.PATH);
        context.addServlet(new ServletHolder("health", operator), OperatorApi.HEALTH_PATH);
        context.addServlet(new ServletHolder("roles-explain", operator), RolesExplanation.PATH);
        context.addServlet(new ServletHolder("task-statistics", operator), TaskStatistics.PATH);
        context.addServlet(new ServletHolder("tasks-usage", operator), TasksWithUsage.PATH);
        return context;
    }

    static Protos.MasterInfo masterInfo(String id, String hostname, int port) {
        String ip = ipOf(hostname);
        return Protos.MasterInfo.newBuilder()
                .setId(id)
                .setIp(packedIp(ip))
                .setPort(port)
                .setHostname(hostname)
                .setPid("master@" + ip + ":" + port)
                .setVersion(OperatorResponses.MESOS_API_VERSION)
                .setAddress(Protos.Address.newBuilder().setHostname(hostname).setIp(ip).setPort(port))
                .build();
    }

    private static String hostnameFor(String bindHost) {
        if (!bindHost.equals("0.0.0.0") && !bindHost.equals("::")) {
            return bindHost;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    private static String ipOf(String hostname) {
        try {
            return InetAddress.getByName(hostname).getHostAddress();
        } catch (UnknownHostException e) {
            return "127.0.0.1";
        }
    }

    /** MasterInfo.ip as Mesos fills it: the IPv4 address's bytes in network order read as a little-endian int. */
    static int packedIp(String ip) {
        try {
            byte[] b = InetAddress.getByName(ip).getAddress();
            if (b.length != 4) {
                return 0;
            }
            return (b[0] & 0xff) | (b[1] & 0xff) << 8 | (b[2] & 0xff) << 16 | (b[3] & 0xff) << 24;
        } catch (UnknownHostException e) {
            return 0;
        }
    }

    private static String hostForUrl(String hostname) {
        return hostname.contains(":") && !hostname.startsWith("[") ? "[" + hostname + "]" : hostname;
    }

    /** The port the master listens on (the one chosen when configured with 0). */
    public int port() {
        return port;
    }

    /** {@code http://<advertised host>:<port>}. */
    public URI url() {
        return url;
    }

    /** Leaves the election, ends every stream, stops the loop and the HTTP server. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (rehearsals != null) {
            rehearsals.shutdownNow();
        }
        if (leadership != null) {
            leadership.close();
        }
        follow("the master is stopping");
        stopQuietly(server);
        log.info("Master on {} stopped", url);
    }

    private static void stopQuietly(Server server) {
        try {
            server.stop();
        } catch (Exception e) {
            log.warn("Error while stopping the HTTP server", e);
        }
    }
}
