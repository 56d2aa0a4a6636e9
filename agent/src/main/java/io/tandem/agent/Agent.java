package io.tandem.agent;

import io.tandem.agent.fetcher.Fetcher;
import io.tandem.agent.isolation.Container;
import io.tandem.agent.isolation.Isolation;
import io.tandem.agent.isolation.IsolationChoice;
import io.tandem.agent.isolation.LimitPolicy;
import io.tandem.agent.isolation.Limits;
import io.tandem.agent.isolation.NamespaceIsolator;
import io.tandem.agent.loop.EventLoop;
import io.tandem.agent.process.ExitStatus;
import io.tandem.agent.process.LaunchSpec;
import io.tandem.agent.process.ProcessLauncher;
import io.tandem.agent.process.Sandboxes;
import io.tandem.agent.sandbox.FilesApi;
import io.tandem.agent.sandbox.SandboxFiles;
import io.tandem.agent.sandbox.SandboxHousekeeping;
import io.tandem.agent.recovery.AgentRecovery;
import io.tandem.agent.recovery.CheckpointLayout;
import io.tandem.agent.recovery.CheckpointWriter;
import io.tandem.agent.recovery.Recovery;
import io.tandem.api.ResourceMapping;
import io.tandem.api.agent.AgentCall;
import io.tandem.api.agent.AgentEvent;
import io.tandem.model.AgentId;
import io.tandem.model.Resources;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntFunction;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.AgentInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Tandem agent: joins the master, reports its resources, runs tasks as OS processes in
 * sandboxes, delivers their status updates reliably and hosts the Mesos v1 executor API.
 *
 * <pre>
 * try (Agent agent = Agent.start(config, InstantSource.system())) { ... }
 * </pre>
 *
 * <p>Thread-safe. The agent's state lives on one loop thread (see the module README).
 */
public final class Agent implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Agent.class);
    private static final Duration CLOSE_MARGIN = Duration.ofSeconds(30);

    private final AgentConfig config;
    private final EventLoop loop;
    private final AgentHttpServer http;
    private final MasterLink link;
    private final Supervisor supervisor;
    private final AgentIdFile idFile;
    private final URI url;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Isolation isolation;
    private final SandboxHousekeeping housekeeping;
    private final CheckpointWriter checkpoints;
    private final ProcessLauncher launcher;
    private volatile AgentId agentId;

    private Agent(AgentConfig config, InstantSource clock, IntFunction<Optional<URI>> masters) throws Exception {
        this.config = config;
        Files.createDirectories(config.workDir());
        this.idFile = new AgentIdFile(config.workDir());
        this.agentId = idFile.read().map(AgentId::new).orElse(null);
        Resources resources = MachineResources.complete(config.givenResources(), config.workDir());
        this.http = new AgentHttpServer(config.bindHost(), config.port());
        String endpoint = localAddress(config.bindHost()) + ":" + http.port();
        this.url = URI.create("http://" + endpoint);
        AgentInfo.Builder info = AgentInfo.newBuilder()
                .setHostname(config.hostname() != null ? config.hostname() : localHostname())
                .setPort(http.port())
                .addAllResources(ResourceMapping.toMesos(resources, null))
                .addAllAttributes(ResourceMapping.attributesToMesos(config.attributes()));
        if (agentId != null) {
            info.setId(AgentID.newBuilder().setValue(agentId.value()));
        }
        this.loop = new EventLoop("agent-loop");
        CheckpointLayout layout = new CheckpointLayout(config.workDir());
        Recovery recovered = Recovery.NONE;
        if (agentId == null) {
            AgentRecovery.discard(layout); // no id to re-join under, so no task to take over
        } else {
            recovered = AgentRecovery.recover(layout, config.recover());
        }
        this.checkpoints = new CheckpointWriter(layout, loop);
        this.link = new MasterLink(masters, new LinkListener(), config.reconnectBackoffMin(),
                config.reconnectBackoffMax());
        IsolationChoice.Host host = IsolationChoice.Host.detect();
        Isolation chosen = IsolationChoice.choose(config.isolation(), host, config.diskWatchInterval());
        this.isolation = switchUsers(chosen, config, host);
        announce(isolation, host);
        this.launcher = new ProcessLauncher(config.workDir().resolve("bin"));
        tryNamespaces(isolation, launcher, config.workDir().resolve("bin"));
        if (agentId != null) {
            int orphans = isolation.clearGroup(agentId.value(), AgentRecovery.keptContainers(recovered));
            if (orphans > 0) {
                log.info("killed and removed {} task container(s) an earlier run of this agent left behind", orphans);
            }
        }
        Supervisor.Settings settings = new Supervisor.Settings(config.defaultKillGracePeriod(),
                config.updateRetryMin(), config.updateRetryMax(), new ExecutorSupervisor.Timing(
                        config.executorRegistrationTimeout(), config.executorShutdownGracePeriod(),
                        subscriptionBackoffMax(config.executorReregistrationTimeout()),
                        config.executorReregistrationTimeout(), config.recoveryTimeout()),
                isolation, new LimitPolicy(config.capCpus(), config.taskPidsLimit()));
        this.housekeeping = new SandboxHousekeeping(config.workDir(), config.sandbox(), clock);
        Sandboxes sandboxes = new Sandboxes(config.workDir(), new Fetcher(), housekeeping.collector());
        Files.createDirectories(sandboxes.root());
        this.supervisor = new Supervisor(loop, loop, link, info.build(), launcher,
                sandboxes, settings, new TaskStatuses(clock, new SecureRandom()), endpoint, checkpoints);
        Recovery taken = recovered;
        loop.call(() -> {
            supervisor.recover(taken);
            return null;
        }).get();
        // After recovery, so that the sandboxes of re-attached tasks are known to be in use.
        housekeeping.start(sandboxes);
        http.start(new ExecutorApi(loop, supervisor.executors().sessions()), new OperatorApi(loop, new OperatorState(supervisor),
                new ContainerUsage(isolation, clock)),
                new FilesApi(new SandboxFiles(sandboxes.root())));
        loop.execute(supervisor.executors()::listening);
        log.info("agent listening on {} with {}; masters {}", url, resources, config.masters());
    }

    /**
     * Starts an agent: binds its HTTP port, then connects to the masters in the background.
     *
     * @throws IllegalStateException when the port cannot be bound or the work directory not used
     * @throws IllegalArgumentException when an isolator in {@code --isolation} is not available here
     */
    public static Agent start(AgentConfig config, InstantSource clock) {
        return start(config, clock, MasterLink.inTurn(config.masters()));
    }

    /**
     * As {@link #start(AgentConfig, InstantSource)}, finding the master to subscribe with through
     * {@code masters} (given the attempt's number; empty while no master is known), such as the leader
     * that ZooKeeper names for a {@code zk://} master URL.
     */
    public static Agent start(AgentConfig config, InstantSource clock, IntFunction<Optional<URI>> masters) {
        try {
            Agent agent = new Agent(config, clock, masters);
            agent.link.start();
            return agent;
        } catch (IllegalArgumentException e) {
            throw e; // a setting this host cannot honour, e.g. an isolator it lacks: the message says which
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the agent: " + e.getMessage(), e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the agent: " + e, e);
        }
    }

    public int port() {
        return http.port();
    }

    /** Where the agent's HTTP server (executor and operator APIs) is reached from this machine. */
    public URI url() {
        return url;
    }

    /** The id the master gave this agent (or the one it had before a restart). */
    public Optional<AgentId> agentId() {
        return Optional.ofNullable(agentId);
    }

    /**
     * Stops the agent: kills every task and executor, waits for their processes to exit, then
     * disconnects. Their terminal updates are in the checkpoint: an agent started again on the same
     * work dir sends those not yet acknowledged. (A killed agent, {@code kill -9}, kills nothing: a
     * restart re-attaches to its tasks.)
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        Duration patience = config.defaultKillGracePeriod().plus(config.executorShutdownGracePeriod()).plus(CLOSE_MARGIN);
        try {
            loop.call(supervisor::shutdownAll).thenCompose(gone -> gone).get(patience.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            log.warn("some tasks or executors were still running {} after the agent began to stop", patience);
        } catch (ExecutionException e) {
            log.warn("stopping tasks failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        link.close();
        launcher.close();
        housekeeping.close();
        if (agentId != null) {
            isolation.clearGroup(agentId.value());
        }
        try {
            http.close();
        } catch (Exception e) {
            log.warn("stopping the HTTP server failed", e);
        }
        checkpoints.close();
        loop.close();
        log.info("agent stopped");
    }

    /**
     * The longest wait between an executor's attempts to subscribe: 2 s as in Mesos, but at most half
     * the re-registration timeout, so that a recovering executor tries at least once in that window.
     */
    private static Duration subscriptionBackoffMax(Duration reregistrationTimeout) {
        Duration half = reregistrationTimeout.dividedBy(2);
        return half.compareTo(Duration.ofSeconds(2)) < 0 ? half : Duration.ofSeconds(2);
    }

    /** Tasks run as their users when asked and the agent may: as root, with setpriv installed. */
    private static Isolation switchUsers(Isolation isolation, AgentConfig config, IsolationChoice.Host host) {
        if (!config.switchUser()) {
            return isolation;
        }
        if (!host.root()) {
            log.info("tasks run as the agent's own user: only an agent running as root can switch users");
            return isolation;
        }
        if (host.setpriv() == null) {
            throw new IllegalArgumentException("--switch-user needs util-linux's 'setpriv', which is not installed;"
                    + " install it or run with --switch-user=false");
        }
        return isolation.switchingUsers(host.setpriv());
    }

    /**
     * With namespace isolators, starts {@code true} in the namespaces once, so that a kernel or a
     * container that refuses them stops the agent at start rather than failing every task.
     */
    private static void tryNamespaces(Isolation isolation, ProcessLauncher launcher, Path dir) throws IOException {
        List<String> namespaces = isolation.names().stream().filter(NamespaceIsolator.NAMES::contains).toList();
        if (namespaces.isEmpty()) {
            return;
        }
        Path sandbox = Files.createDirectories(dir.resolve("namespace-check"));
        Files.createDirectories(sandbox.resolve("tmp"));
        String failure;
        try {
            Container probe = new Container("namespace-check", Limits.none(), sandbox, null);
            ExitStatus exit = launcher.launch(new LaunchSpec(List.of("true"), Map.of(), sandbox),
                    isolation.confinement(probe), null).exit().get(30, TimeUnit.SECONDS);
            failure = exit.succeeded() ? null : exit.describe("'true' in the namespaces");
        } catch (IOException | ExecutionException | TimeoutException e) {
            failure = e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while trying the namespaces", e);
        }
        if (failure != null) {
            launcher.close();
            throw new IllegalArgumentException("isolator(s) " + String.join(", ", namespaces)
                    + " not available here: " + failure);
        }
    }

    /** Once, at start: what isolation tasks get, loudly when they get none. */
    private static void announce(Isolation isolation, IsolationChoice.Host host) {
        if (isolation.isolates()) {
            log.info("task isolation: {}", isolation);
            return;
        }
        String why = IsolationChoice.KNOWN.stream().filter(n -> !n.equals(IsolationChoice.POSIX)).findFirst()
                .flatMap(n -> IsolationChoice.unavailable(n, host)).map(reason -> "no isolator is available: " + reason)
                .orElse("--isolation posix asks for none");
        log.warn("NO TASK ISOLATION: tasks run as plain processes with no cpu, memory or pids limits and can see"
                + " and signal each other ({})", why);
    }

    private static String localAddress(String bindHost) {
        return bindHost.isEmpty() || bindHost.equals("0.0.0.0") || bindHost.equals("::") ? "127.0.0.1" : bindHost;
    }

    private static String localHostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    /** Hands the master link's news to the agent loop (called on the link's thread). */
    private final class LinkListener implements MasterLink.Listener {
        @Override
        public AgentCall.Subscribe subscribeCall() throws InterruptedException, ExecutionException {
            return loop.call(supervisor::subscribeCall).get();
        }

        @Override
        public void subscribed(AgentEvent.Subscribed subscribed) {
            AgentID id = subscribed.agentId();
            agentId = new AgentId(id.getValue());
            try {
                idFile.write(id.getValue());
            } catch (IOException e) {
                log.warn("cannot keep the agent id under {}; a restart will join as a new agent: {}",
                        config.workDir(), e.getMessage());
            }
            Duration interval = subscribed.reportIntervalSeconds() > 0
                    ? Duration.ofMillis((long) (subscribed.reportIntervalSeconds() * 1000))
                    : config.reportInterval();
            loop.execute(() -> supervisor.connected(id, interval));
        }

        @Override
        public void event(AgentEvent event) {
            loop.execute(() -> supervisor.handle(event));
        }

        @Override
        public void disconnected() {
            loop.execute(supervisor::disconnected);
        }
    }
}
