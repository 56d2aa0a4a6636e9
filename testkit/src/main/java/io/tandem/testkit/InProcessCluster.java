package io.tandem.testkit;

import static org.awaitility.Awaitility.await;

import io.tandem.agent.Agent;
import io.tandem.agent.AgentConfig;
import io.tandem.agent.process.Sandboxes;
import io.tandem.master.Master;
import io.tandem.master.MasterConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.TaskID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real {@link Master} and N real {@link Agent}s in this JVM, on 127.0.0.1 with ephemeral ports,
 * each agent with its own work directory, all with timers short enough for tests (see
 * {@link Builder}). Frameworks reach it over real HTTP at {@link #masterUrl()}; tasks run as real
 * processes. {@link Builder#start()} returns once every agent is registered with the master.
 *
 * <pre>{@code
 * try (InProcessCluster cluster = InProcessCluster.builder().agents(3).start()) {
 *     SchedulerDriver driver = SchedulerDriver.builder().master(cluster.masterUrl().toString())...;
 * }
 * }</pre>
 *
 * <p>Not thread-safe: start, stop and close it from one test thread.
 */
public final class InProcessCluster implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(InProcessCluster.class);

    private final Path root;
    private final boolean ownsRoot;
    private final MasterConfig masterConfig;
    private final Master master;
    private final OperatorClient operator;
    private final List<Node> nodes = new ArrayList<>();

    /** One agent with its work directory and, when partitions are wanted, its relay to the master. */
    private record Node(Agent agent, Path workDir, TcpRelay relay) {}

    private InProcessCluster(Builder b, Path root) {
        this.root = root;
        this.ownsRoot = b.workDir == null;
        this.masterConfig = b.masterTweaks.apply(defaultMasterConfig(root.resolve("master")));
        this.master = Master.start(masterConfig, InstantSource.system());
        this.operator = new OperatorClient(master.url());
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The master's base URL, {@code http://127.0.0.1:<port>}. */
    public URI masterUrl() {
        return master.url();
    }

    public MasterConfig masterConfig() {
        return masterConfig;
    }

    /** Every agent started, in order, including stopped ones. */
    public List<Agent> agents() {
        return nodes.stream().map(Node::agent).toList();
    }

    public Agent agent(int index) {
        return nodes.get(index).agent();
    }

    /** The id the master gave agent {@code index}. */
    public AgentID agentId(int index) {
        return AgentID.newBuilder().setValue(agent(index).agentId()
                .orElseThrow(() -> new IllegalStateException("agent " + index + " has no id yet")).value()).build();
    }

    /** The index of the agent with this id. */
    public int indexOf(AgentID agentId) {
        for (int i = 0; i < nodes.size(); i++) {
            if (agent(i).agentId().map(id -> id.value().equals(agentId.getValue())).orElse(false)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no agent of this cluster has id " + agentId.getValue());
    }

    public Path agentWorkDir(int index) {
        return nodes.get(index).workDir();
    }

    /** Where a command task runs (and leaves its {@code stdout} and {@code stderr}). */
    public Path sandbox(AgentID agentId, FrameworkID frameworkId, TaskID taskId) {
        return new Sandboxes(agentWorkDir(indexOf(agentId))).forTask(frameworkId.getValue(), taskId.getValue());
    }

    /** Where an executor runs. */
    public Path executorSandbox(AgentID agentId, FrameworkID frameworkId, ExecutorID executorId) {
        return new Sandboxes(agentWorkDir(indexOf(agentId))).forExecutor(frameworkId.getValue(), executorId.getValue());
    }

    /** A client of the master's operator API. */
    public OperatorClient operator() {
        return operator;
    }

    /** Stops agent {@code index} as {@code Agent.close()} does: its tasks and executors are killed first. */
    public void stopAgent(int index) {
        Node node = nodes.get(index);
        node.agent().close();
        if (node.relay() != null) {
            node.relay().close();
        }
    }

    /**
     * Cuts agent {@code index} off the master without stopping it: its reports and updates stop
     * arriving, its tasks keep running. Needs {@link Builder#partitionable()}.
     */
    public void partitionAgent(int index) {
        relay(index).cut();
    }

    /** Lets agent {@code index} reach the master again; it subscribes again under its id. */
    public void healAgent(int index) {
        relay(index).restore();
    }

    private TcpRelay relay(int index) {
        TcpRelay relay = nodes.get(index).relay();
        if (relay == null) {
            throw new IllegalStateException("start the cluster with builder().partitionable() to cut agents off");
        }
        return relay;
    }

    /** Stops the agents (killing their tasks), then the master, then deletes the work directories. */
    @Override
    public void close() {
        for (Node node : nodes) {
            closeQuietly("agent", node.agent());
            if (node.relay() != null) {
                node.relay().close();
            }
        }
        closeQuietly("operator client", operator);
        closeQuietly("master", master);
        if (ownsRoot) {
            deleteQuietly(root);
        }
    }

    private void startAgents(Builder b) {
        for (int i = 0; i < b.agents; i++) {
            Path workDir = root.resolve("agent-" + i);
            TcpRelay relay = b.partitionable ? new TcpRelay(master.url()) : null;
            URI masterUrl = relay != null ? relay.url() : master.url();
            AgentConfig.Builder config = defaultAgentConfig(masterUrl, workDir).resources(b.agentResources);
            b.agentTweaks.accept(config);
            nodes.add(new Node(Agent.start(config.build(), InstantSource.system()), workDir, relay));
        }
    }

    private void awaitAgentsRegistered(Duration patience) {
        await("all " + nodes.size() + " agents registered with the master").atMost(patience)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> operator.agents().getAgentsCount() == nodes.size()
                        && nodes.stream().allMatch(n -> n.agent().agentId().isPresent()));
        log.info("cluster ready: master {} with {} agents", master.url(), nodes.size());
    }

    /** Test timers: allocation every 100 ms, agent reports every 200 ms, heartbeats every second. */
    static MasterConfig defaultMasterConfig(Path workDir) {
        return MasterConfig.defaults(workDir)
                .withBind("127.0.0.1", 0)
                .withHeartbeatInterval(Duration.ofSeconds(1))
                .withAgentTimeouts(Duration.ofMillis(200), Duration.ofSeconds(10))
                .withAllocationInterval(Duration.ofMillis(100));
    }

    /** Test timers: updates resent after 200 ms (doubling to 1 s), quick reconnection, short grace periods. */
    static AgentConfig.Builder defaultAgentConfig(URI masterUrl, Path workDir) {
        return AgentConfig.builder(List.of(masterUrl), workDir)
                .bindHost("127.0.0.1")
                .port(0)
                .reportInterval(Duration.ofMillis(200))
                .updateRetry(Duration.ofMillis(200), Duration.ofSeconds(1))
                .reconnectBackoff(Duration.ofMillis(100), Duration.ofSeconds(1))
                .defaultKillGracePeriod(Duration.ofSeconds(2))
                .executorShutdownGracePeriod(Duration.ofSeconds(3))
                .executorRegistrationTimeout(Duration.ofSeconds(60));
    }

    private static void closeQuietly(String what, AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            log.warn("closing the {} failed", what, e);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            log.warn("could not delete {}: {}", dir, e.getMessage());
        }
    }

    /** How to start a cluster; every setting has a default suitable for tests. */
    public static final class Builder {
        private int agents = 1;
        private String agentResources = "cpus:2;mem:1024;disk:1024;ports:[31000-31099]";
        private UnaryOperator<MasterConfig> masterTweaks = UnaryOperator.identity();
        private Consumer<AgentConfig.Builder> agentTweaks = b -> { };
        private boolean partitionable;
        private Path workDir;
        private Duration startTimeout = Duration.ofSeconds(30);

        private Builder() {}

        /** How many agents (default 1). */
        public Builder agents(int count) {
            if (count < 0) {
                throw new IllegalArgumentException("agents must be zero or more, got " + count);
            }
            this.agents = count;
            return this;
        }

        /** Every agent's resources, e.g. {@code "cpus:2;mem:1024;disk:1024;ports:[31000-31099]"}. */
        public Builder agentResources(String spec) {
            this.agentResources = Objects.requireNonNull(spec);
            return this;
        }

        /** Changes the master's configuration, e.g. {@code c -> c.withAgentTimeouts(...)}; applied after the test defaults. */
        public Builder masterConfig(UnaryOperator<MasterConfig> tweaks) {
            this.masterTweaks = Objects.requireNonNull(tweaks);
            return this;
        }

        /** Changes every agent's configuration; applied after the test defaults and the resources. */
        public Builder agentConfig(Consumer<AgentConfig.Builder> tweaks) {
            this.agentTweaks = Objects.requireNonNull(tweaks);
            return this;
        }

        /** Routes each agent through a relay so {@link #partitionAgent} can cut it off the master. */
        public Builder partitionable() {
            this.partitionable = true;
            return this;
        }

        /** Where master and agents keep their files (e.g. a JUnit {@code @TempDir}); default: a temp dir deleted on close. */
        public Builder workDir(Path dir) {
            this.workDir = Objects.requireNonNull(dir);
            return this;
        }

        /** How long {@link #start()} waits for the agents to register (default 30 s). */
        public Builder startTimeout(Duration timeout) {
            this.startTimeout = Objects.requireNonNull(timeout);
            return this;
        }

        /** Starts the master, then the agents; returns once every agent is registered. */
        public InProcessCluster start() {
            Path root = workDir != null ? workDir : tempDir();
            InProcessCluster cluster;
            try {
                cluster = new InProcessCluster(this, root);
            } catch (RuntimeException | Error e) {
                if (workDir == null) {
                    deleteQuietly(root);
                }
                throw e;
            }
            try {
                cluster.startAgents(this);
                cluster.awaitAgentsRegistered(startTimeout);
                return cluster;
            } catch (RuntimeException | Error e) {
                cluster.close();
                throw e;
            }
        }

        private static Path tempDir() {
            try {
                return Files.createTempDirectory("tandem-cluster-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
