package io.tandem.master;

import io.tandem.allocator.Allocator;
import io.tandem.allocator.sorter.Sorters;
import io.tandem.api.agent.AgentProtocol;
import java.net.InetAddress;
import java.nio.file.Files;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.UUID;
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
    private final MasterLoop loop;
    private final int port;
    private final URI url;

    private Master(Server server, MasterLoop loop, int port, URI url) {
        this.server = server;
        this.loop = loop;
        this.port = port;
        this.url = url;
    }

    /**
     * Binds the port, starts the loop and serves.
     *
     * @throws IllegalStateException if the server cannot start (for example, the port is taken)
     */
    public static Master start(MasterConfig config, InstantSource clock) {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost(config.bindHost());
        connector.setPort(config.port());
        // Streams are idle between heartbeats; never let Jetty close one for that.
        connector.setIdleTimeout(Math.max(30_000, config.heartbeatInterval().toMillis() * 4));
        server.addConnector(connector);
        MasterLoop loop = null;
        try {
            Files.createDirectories(config.workDir()); // nothing is kept there yet; fail early if it is unusable
            connector.open();
            int port = connector.getLocalPort();
            String hostname = config.hostname().orElseGet(() -> hostnameFor(config.bindHost()));
            Protos.MasterInfo info = masterInfo(UUID.randomUUID().toString(), hostname, port);
            Allocator allocator = new Allocator(
                    Sorters.byName(config.allocator(), config.fairShareResource()),
                    Sorters.byName(config.allocator(), config.fairShareResource()));
            loop = new MasterLoop(config, clock, info, allocator);
            server.setHandler(endpoints(loop));
            server.start();
            loop.startTicking(TICK_PERIOD);
            URI url = URI.create("http://" + hostForUrl(hostname) + ":" + port);
            log.info("Master {} listening on {} (bound to {}:{})", info.getId(), url, config.bindHost(), port);
            return new Master(server, loop, port, url);
        } catch (Exception e) {
            if (loop != null) {
                loop.close();
            }
            stopQuietly(server);
            throw new IllegalStateException("cannot start the master on " + config.bindHost() + ":" + config.port()
                    + ": " + e.getMessage(), e);
        }
    }

    private static ServletContextHandler endpoints(MasterLoop loop) {
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.addServlet(new ServletHolder("scheduler", new SchedulerApiServlet(loop)), SchedulerApiServlet.PATH);
        context.addServlet(new ServletHolder("agents", new AgentEndpoint(loop)), AgentProtocol.PATH);
        OperatorApi operator = new OperatorApi(loop);
        context.addServlet(new ServletHolder("operator", operator), OperatorApi.PATH);
        context.addServlet(new ServletHolder("health", operator), OperatorApi.HEALTH_PATH);
        context.addServlet(new ServletHolder("roles-explain", operator), RolesExplanation.PATH);
        context.addServlet(new ServletHolder("task-statistics", operator), TaskStatistics.PATH);
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

    /** Ends every stream, stops the loop and the HTTP server. */
    @Override
    public void close() {
        loop.close();
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
