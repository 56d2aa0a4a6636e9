package io.tandem.frameworks.batch;

import io.tandem.frameworks.common.ClusterAgents;
import io.tandem.sdk.SchedulerDriver;
import java.net.URI;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The batch framework as one running thing: a {@link SchedulerDriver} subscribed in its role, the
 * {@link BatchScheduler}, its timer and its HTTP API. {@code tandem batch serve} and
 * {@code tandem local --demo} start one with {@link #start}.
 *
 * <pre>{@code
 * try (BatchService batch = BatchService.start(new BatchService.Config(List.of(masterUrl), "batch", "127.0.0.1", 0))) {
 *     new BatchClient(batch.url()).submit(Files.readString(jobFile), "job.yaml");
 * }
 * }</pre>
 */
public final class BatchService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BatchService.class);
    /** How often timeouts and ended backoffs are looked at. */
    static final Duration TICK = Duration.ofMillis(250);

    /**
     * @param masters master URLs, tried in turn
     * @param role the role the framework's tasks run in (and its demand is declared in)
     * @param port 0 for any free port
     * @param keepFinished how many ended jobs stay listed ({@value #KEEP_FINISHED} by default)
     */
    public record Config(List<String> masters, String role, String bindHost, int port, int keepFinished) {
        public static final int KEEP_FINISHED = 100;

        public Config(List<String> masters, String role, String bindHost, int port) {
            this(masters, role, bindHost, port, KEEP_FINISHED);
        }

        public Config {
            masters = List.copyOf(masters);
            Objects.requireNonNull(role, "role");
            if (masters.isEmpty()) {
                throw new IllegalArgumentException("the batch scheduler needs at least one master URL");
            }
        }
    }

    private final BatchScheduler scheduler;
    private final SchedulerDriver driver;
    private final BatchServer server;
    private final ScheduledExecutorService timer;

    private BatchService(Config config, InstantSource clock) {
        this.scheduler = new BatchScheduler(config.role(), clock,
                () -> ClusterAgents.fetch(config.masters().getFirst(), config.role()), config.keepFinished());
        this.server = new BatchServer(scheduler, config.bindHost(), config.port());
        this.driver = SchedulerDriver.builder().masters(config.masters()).frameworkInfo(frameworkInfo(config.role()))
                .suppressedRoles(java.util.Set.of(config.role())).scheduler(scheduler).build();
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tandem-batch-timer");
            t.setDaemon(true);
            return t;
        });
    }

    public static BatchService start(Config config, InstantSource clock) {
        BatchService service = new BatchService(config, clock);
        service.driver.start();
        service.timer.scheduleWithFixedDelay(service::tick, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
        LOG.info("batch scheduler serving jobs at {} (role {})", service.url(), config.role());
        return service;
    }

    private void tick() {
        try {
            scheduler.tick();
        } catch (RuntimeException e) {
            LOG.warn("batch timer failed", e);   // keep ticking: one bad tick must not stop timeouts
        }
    }

    /** The HTTP API's base URL, e.g. {@code http://127.0.0.1:5060}. */
    public URI url() {
        return server.url();
    }

    public BatchScheduler scheduler() {
        return scheduler;
    }

    public boolean isSubscribed() {
        return driver.isSubscribed();
    }

    /**
     * A framework that outlives a short disconnection (a week of failover timeout is Mesos's usual
     * choice for long-running schedulers; here one hour), MULTI_ROLE with its one role.
     */
    static FrameworkInfo frameworkInfo(String role) {
        return FrameworkInfo.newBuilder()
                .setUser(System.getProperty("user.name", "nobody"))
                .setName("tandem-batch")
                .addRoles(role)
                .setFailoverTimeout(3600)
                .addCapabilities(FrameworkInfo.Capability.newBuilder().setType(FrameworkInfo.Capability.Type.MULTI_ROLE))
                .build();
    }

    /** Stops the timer and the API, then tears the framework down (the master kills its tasks). */
    @Override
    public void close() {
        timer.shutdownNow();
        server.close();
        driver.stop(false);
    }
}
