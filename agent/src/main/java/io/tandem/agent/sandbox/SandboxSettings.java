package io.tandem.agent.sandbox;

import java.time.Duration;

/**
 * How the agent keeps sandboxes.
 *
 * @param logMaxSize {@code stdout} / {@code stderr} are rotated once they exceed this many bytes
 * @param logMaxFiles how many rotated files ({@code stdout.1} newest ... {@code stdout.N}) are kept
 * @param gcDelay how long a sandbox stays after its task or executor ended (sooner when the disk
 *     is nearly full)
 * @param checkInterval how often log sizes and expired sandboxes are looked at
 */
public record SandboxSettings(long logMaxSize, int logMaxFiles, Duration gcDelay, Duration checkInterval) {
    /** 10 MB logs, 5 rotated files each; sandboxes kept a week, as Mesos's {@code gc_delay}; checked every second. */
    public static final SandboxSettings DEFAULTS =
            new SandboxSettings(10L * 1024 * 1024, 5, Duration.ofDays(7), Duration.ofSeconds(1));

    public SandboxSettings {
        if (logMaxSize < 1) {
            throw new IllegalArgumentException("the sandbox log size limit must be at least 1 byte, got " + logMaxSize);
        }
        if (logMaxFiles < 1) {
            throw new IllegalArgumentException("at least 1 rotated sandbox log file must be kept, got " + logMaxFiles);
        }
        if (gcDelay == null || gcDelay.isNegative()) {
            throw new IllegalArgumentException("the sandbox GC delay must not be negative, got " + gcDelay);
        }
        if (checkInterval == null || checkInterval.isZero() || checkInterval.isNegative()) {
            throw new IllegalArgumentException("the sandbox check interval must be positive, got " + checkInterval);
        }
    }

    public SandboxSettings withLogRotation(long maxSize, int maxFiles) {
        return new SandboxSettings(maxSize, maxFiles, gcDelay, checkInterval);
    }

    public SandboxSettings withGcDelay(Duration delay) {
        return new SandboxSettings(logMaxSize, logMaxFiles, delay, checkInterval);
    }

    public SandboxSettings withCheckInterval(Duration interval) {
        return new SandboxSettings(logMaxSize, logMaxFiles, gcDelay, interval);
    }
}
