package io.tandem.frameworks.service;

import io.tandem.frameworks.common.ClusterAgents;

import io.tandem.sdk.SchedulerDriver;
import java.net.URI;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.Optional;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service scheduler as one object: state store, service loop, framework driver and HTTP API,
 * wired together. {@link #start} returns once the HTTP API listens (the framework subscribes in the
 * background). {@link #close} leaves the framework registered so its tasks keep running until a new
 * scheduler with the same state takes over; {@link #teardown} ends the framework and its tasks.
 *
 * <pre>{@code
 * try (ServiceScheduler services = ServiceScheduler.start(ServiceConfig.defaults(masterUrl, stateDir))) {
 *     new ServiceClient(services.url()).deploy(Files.readString(app), "app.yaml");
 * }
 * }</pre>
 */
public final class ServiceScheduler implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ServiceScheduler.class);
    private final ServiceConfig config;
    private final StateStore store;
    /** The ERROR message a Mesos master sends a framework it removed. */
    static final String FRAMEWORK_REMOVED = "Framework has been removed";
    private final ServiceLoop loop;
    private final ServiceFramework framework;
    private final ServiceHttpApi api;
    private volatile SchedulerDriver driver;
    private volatile boolean stopping;
    private boolean startedAfresh;
    private final java.util.concurrent.CompletableFuture<String> refusal = new java.util.concurrent.CompletableFuture<>();

    private ServiceScheduler(ServiceConfig config, StateStore store) {
        this.config = config;
        this.store = store;
        this.loop = new ServiceLoop(InstantSource.system(), store, config.role(), new SecureRandom());
        this.framework = new ServiceFramework(loop, this::refused);
        this.driver = driver(loop.savedFrameworkId());
        try {
            this.api = ServiceHttpApi.start(loop,
                    () -> ClusterAgents.fetch(config.masters().getFirst(), config.role()), config.bindHost(), config.port());
        } catch (RuntimeException e) {
            loop.close();
            throw e;
        }
    }

    private SchedulerDriver driver(Optional<String> frameworkId) {
        return SchedulerDriver.builder()
                .masters(config.masters())
                .frameworkInfo(frameworkInfo(config, frameworkId))
                .scheduler(framework)
                .build();
    }

    /**
     * The master refused the framework. When it is the saved framework that the master removed (the
     * scheduler was away longer than its failover timeout, and the master killed its tasks), the apps
     * are relaunched under a new framework, once; any other refusal leaves the scheduler stopped,
     * reported by {@link #error()}. Runs on the stopped driver's callback thread.
     */
    private synchronized void refused(String message) {
        // The SDK passes only the master's words (the ERROR event carries no code); Mesos's and Tandem's
        // masters both say exactly this, so match the whole phrase rather than any word in it.
        boolean removed = message.strip().equalsIgnoreCase(FRAMEWORK_REMOVED);
        if (stopping) {
            return;
        }
        if (startedAfresh || !removed || loop.savedFrameworkId().isEmpty()) {
            refusal.complete(message);
            return;
        }
        startedAfresh = true;
        log.warn("the master removed framework {} ({}), and its tasks with it; relaunching the apps under a new"
                + " framework", loop.savedFrameworkId().orElseThrow(), message);
        loop.run(loop::startAfresh);
        driver = driver(Optional.empty());
        driver.start();
    }

    /**
     * Starts the scheduler: reads its state (ZooKeeper when configured, else the state directory),
     * subscribes with the saved framework id if any, and serves the HTTP API.
     *
     * @throws IllegalStateException when the store or the API port cannot be used
     */
    public static ServiceScheduler start(ServiceConfig config) {
        StateStore store = config.zooKeeper() != null ? new ZooKeeperStateStore(config.zooKeeper())
                : new FileStateStore(config.stateDir());
        try {
            ServiceScheduler scheduler = new ServiceScheduler(config, store);
            scheduler.driver.start();
            log.info("service scheduler API at {}, state in {}", scheduler.url(), store.describe());
            return scheduler;
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    private static FrameworkInfo frameworkInfo(ServiceConfig config, Optional<String> savedId) {
        FrameworkInfo.Builder info = FrameworkInfo.newBuilder()
                .setUser(System.getProperty("user.name", "nobody"))
                .setName(config.name())
                .addRoles(config.role())
                .setFailoverTimeout(config.failoverTimeout().toSeconds())
                .setCheckpoint(true)
                .addCapabilities(FrameworkInfo.Capability.newBuilder().setType(FrameworkInfo.Capability.Type.MULTI_ROLE));
        savedId.ifPresent(id -> info.setId(FrameworkID.newBuilder().setValue(id)));
        return info.build();
    }

    /** The HTTP API's base URL, e.g. {@code http://127.0.0.1:5070}. */
    public URI url() {
        return api.url();
    }

    /** The framework id, once subscribed. */
    public Optional<String> frameworkId() {
        return driver.frameworkId().map(FrameworkID::getValue);
    }

    /** Whether the framework is subscribed with a master right now. */
    public boolean isSubscribed() {
        return driver.isSubscribed();
    }

    /** The master's refusal of this framework, if it refused it (the driver has then stopped). */
    public Optional<String> error() {
        return Optional.ofNullable(framework.error());
    }

    /**
     * Completes with the master's words when it refused the framework for good (the driver has stopped
     * and nothing will be launched any more); never completes otherwise.
     */
    public java.util.concurrent.CompletableFuture<String> refusal() {
        return refusal;
    }

    /** Stops this process's part and leaves the tasks running for a successor (failover). */
    @Override
    public void close() {
        stop(true);
    }

    /** Stops and ends the framework: the master kills every task of every app. */
    public void teardown() {
        loop.run(loop::forgetAll);
        stop(false);
    }

    private void stop(boolean failover) {
        stopping = true;
        api.close();
        driver.stop(failover);
        loop.close();
        store.close();
        log.info("service scheduler stopped ({})", failover ? "tasks left running" : "framework torn down");
    }
}
