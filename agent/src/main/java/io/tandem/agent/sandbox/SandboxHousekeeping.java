package io.tandem.agent.sandbox;

import io.tandem.agent.process.Sandboxes;
import java.time.InstantSource;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's sandbox chores, every {@link SandboxSettings#checkInterval()} on one thread of their
 * own ({@code sandbox-housekeeping}, off the agent loop since both walk the disk): rotate logs that
 * outgrew their limit ({@link LogRotation}), then remove sandboxes whose time is up
 * ({@link SandboxCollector}).
 *
 * <pre>
 * Agent ── new SandboxHousekeeping(sandboxes root, settings, clock) ── collector() ─> Sandboxes (in use / released)
 *            every interval: rotation.rotateAll(sandboxes in use); collector.sweep()
 * </pre>
 *
 * <p>Thread-safe.
 */
public final class SandboxHousekeeping implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SandboxHousekeeping.class);

    private final SandboxCollector collector;
    private final LogRotation rotation;
    private final SandboxSettings settings;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sandbox-housekeeping");
        t.setDaemon(true);
        return t;
    });

    public SandboxHousekeeping(java.nio.file.Path workDir, SandboxSettings settings, InstantSource clock) {
        this.settings = settings;
        this.collector = new SandboxCollector(settings.gcDelay(), clock, () -> SandboxCollector.usageOf(workDir));
        this.rotation = new LogRotation(settings.logMaxSize(), settings.logMaxFiles());
    }

    /** What {@link Sandboxes} tells of sandboxes in use and released. */
    public SandboxCollector collector() {
        return collector;
    }

    /** Books the sandboxes already on disk for removal and starts the periodic chores. */
    public void start(Sandboxes watched) {
        collector.adopt(watched.all());
        long every = settings.checkInterval().toMillis();
        thread.scheduleWithFixedDelay(this::tick, every, every, TimeUnit.MILLISECONDS);
    }

    private void tick() {
        try {
            rotation.rotateAll(collector.live());
            collector.sweep();
        } catch (RuntimeException e) {
            log.warn("sandbox housekeeping failed; trying again in {}", settings.checkInterval(), e);
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
