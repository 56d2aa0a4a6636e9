package io.tandem.frameworks.gang;

import io.tandem.frameworks.common.AgentCapacity;
import io.tandem.frameworks.common.ClusterAgents;
import io.tandem.sdk.SchedulerDriver;
import java.io.IOException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One gang as a framework of its own: checks that the cluster could ever hold it, subscribes in its
 * role, runs the {@link GangScheduler} with a timer, and tears the framework down on {@link #close()}.
 * {@code tandem gang run} and {@code tandem local --demo} use it.
 */
public final class GangRunner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GangRunner.class);
    static final Duration TICK = Duration.ofMillis(100);

    private final GangScheduler scheduler;
    private final SchedulerDriver driver;
    private final ScheduledExecutorService timer;

    private GangRunner(List<String> masters, String role, GangSpec spec, InstantSource clock, Consumer<String> progress) {
        this.scheduler = new GangScheduler(spec, clock, progress);
        this.driver = SchedulerDriver.builder().masters(masters).frameworkInfo(frameworkInfo(spec.name(), role))
                .scheduler(scheduler).build();
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tandem-gang-timer");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts the gang. A gang more members of which than the agents could hold even when empty fails
     * at once ({@link #finished()} completes unsuccessfully, naming the capacity).
     */
    public static GangRunner start(List<String> masters, String role, GangSpec spec, InstantSource clock,
                                   Consumer<String> progress) {
        GangRunner runner = new GangRunner(masters, role, spec, clock, progress);
        try {
            tooBig(spec, ClusterAgents.fetch(masters.getFirst(), role)).ifPresent(runner.scheduler::fail);
        } catch (IOException e) {
            LOG.warn("could not ask the master for its agents ({}); the gang waits for offers unchecked", e.getMessage());
        }
        if (!runner.scheduler.finished().isDone()) {
            runner.driver.start();
            runner.timer.scheduleWithFixedDelay(runner::tick, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
        }
        return runner;
    }

    /** Why {@code agents} can never hold the gang, when they cannot: fewer member slots in total than members. */
    static java.util.Optional<String> tooBig(GangSpec spec, List<AgentCapacity> agents) {
        if (agents.isEmpty()) {
            return java.util.Optional.empty();
        }
        long slots = agents.stream().mapToLong(a -> Math.min(a.howMany(spec.memberNeeds()), spec.size())).sum();
        if (slots >= spec.size()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of("a gang of " + spec.size() + " x (cpus " + spec.needs().cpus() + ", mem "
                + spec.needs().memMb() + ", 1 port) can never fit: the agents hold at most " + slots
                + " such member(s) even when idle (" + agents.stream()
                .map(a -> a.agent().hostname() + " " + a.describe()).collect(Collectors.joining(", ")) + ")");
    }

    private void tick() {
        try {
            scheduler.tick();
        } catch (RuntimeException e) {
            LOG.warn("gang timer failed", e);
        }
    }

    public GangScheduler scheduler() {
        return scheduler;
    }

    public CompletableFuture<GangOutcome> finished() {
        return scheduler.finished();
    }

    /** A short-lived framework: it does not outlive this process (failover timeout 0). */
    static FrameworkInfo frameworkInfo(String name, String role) {
        return FrameworkInfo.newBuilder()
                .setUser(System.getProperty("user.name", "nobody"))
                .setName("tandem-gang-" + name)
                .addRoles(role)
                .setFailoverTimeout(0)
                .addCapabilities(FrameworkInfo.Capability.newBuilder().setType(FrameworkInfo.Capability.Type.MULTI_ROLE))
                .build();
    }

    /** Stops the timer and tears the framework down: the master kills any member still running. */
    @Override
    public void close() {
        timer.shutdownNow();
        driver.stop(false);
    }
}
