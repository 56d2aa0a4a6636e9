package io.tandem.frameworks.service;

import io.tandem.frameworks.common.AgentView;
import java.time.Instant;
import java.util.List;
import org.apache.mesos.v1.Protos.TaskState;

/**
 * One launched copy of an app (one Mesos task) as the scheduler knows it. Owned by the service loop
 * thread; mutated only by {@link App}.
 */
final class Instance {
    enum Health { UNKNOWN, HEALTHY, UNHEALTHY }

    final String taskId;
    final int version;
    final AppSpec spec;
    final AgentView site;
    final List<Long> ports;
    TaskState state = TaskState.TASK_STAGING;
    Instant runningSince;
    boolean everHealthy;
    int failedChecks;
    Health health = Health.UNKNOWN;
    /** Failures in a row of the slot this instance took over (0 for a fresh slot). */
    int streak;
    /** Since when it has been healthy (running, when the app has no check); null while not yet. */
    Instant stableSince;
    /** Why the scheduler is killing it, or null while it should run. */
    String killReason;
    Instant killSentAt;

    /**
     * @param spec the spec of the instance's own version (its command, health check)
     */
    Instance(String taskId, int version, AppSpec spec, AgentView site, List<Long> ports) {
        this.taskId = taskId;
        this.version = version;
        this.spec = spec;
        this.site = site;
        this.ports = List.copyOf(ports);
    }

    boolean killing() {
        return killReason != null;
    }

    boolean running() {
        return state == TaskState.TASK_RUNNING;
    }

    /** Running and, when the app has a health check, passing it; an instance being killed never counts. */
    boolean healthy() {
        return running() && !killing() && (spec.healthCheck().isEmpty() || health == Health.HEALTHY);
    }

    /** What the status shows: healthy, unhealthy, unchecked (no check), or pending (not yet answered). */
    String healthText() {
        if (spec.healthCheck().isEmpty()) {
            return "unchecked";
        }
        return switch (health) {
            case UNKNOWN -> "pending";
            case HEALTHY -> "healthy";
            case UNHEALTHY -> "unhealthy";
        };
    }
}
