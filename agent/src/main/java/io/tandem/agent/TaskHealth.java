package io.tandem.agent;

import io.tandem.agent.health.CommandProbe;
import io.tandem.agent.health.HealthChecker;
import io.tandem.agent.health.HttpProbe;
import io.tandem.agent.health.Probe;
import io.tandem.agent.health.TcpProbe;
import io.tandem.agent.isolation.Isolation;
import io.tandem.agent.loop.Timers;
import io.tandem.agent.process.CommandLines;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import org.apache.mesos.v1.Protos.HealthCheck;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus.Reason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Health-checks running command tasks that carry a {@code health_check}, standing in for the
 * executor Mesos would run: each result worth telling becomes a TASK_RUNNING update with
 * {@code healthy} and reason REASON_TASK_HEALTH_CHECK_STATUS_UPDATED, and a task that fails too
 * many checks in a row is killed.
 *
 * <p>Owned by the agent loop thread.
 */
final class TaskHealth {
    private static final Logger log = LoggerFactory.getLogger(TaskHealth.class);

    private final Executor loop;
    private final Timers timers;
    private final TaskTable tasks;
    private final Isolation isolation;
    /** Kills a task (as a framework's kill would, with its kill policy). */
    private final BiConsumer<TaskRecord, String> killer;

    TaskHealth(Executor loop, Timers timers, TaskTable tasks, Isolation isolation, BiConsumer<TaskRecord, String> killer) {
        this.loop = loop;
        this.timers = timers;
        this.tasks = tasks;
        this.isolation = isolation;
        this.killer = killer;
    }

    /** Starts checking {@code task}, which has just turned TASK_RUNNING; {@code environment} is its own. */
    void start(TaskRecord task, Map<String, String> environment) {
        if (!task.task.hasHealthCheck()) {
            return;
        }
        HealthCheck check = task.task.getHealthCheck();
        HealthChecker checker = new HealthChecker(task.toString(), check, probe(task, check, environment), timers, loop,
                new HealthChecker.Listener() {
                    @Override
                    public void healthReported(boolean healthy, String message) {
                        reported(task, healthy, message);
                    }

                    @Override
                    public void killRequested(String message) {
                        log.info("{} failed its health checks and is killed: {}", task, message);
                        task.killedAsUnhealthy = message;
                        killer.accept(task, message);
                    }
                });
        task.health = checker;
        checker.start();
    }

    /** Stops checking {@code task} (it ended or is being killed). */
    void stop(TaskRecord task) {
        if (task.health != null) {
            task.health.stop();
            task.health = null;
        }
    }

    private void reported(TaskRecord task, boolean healthy, String message) {
        if (task.state() != TaskState.TASK_RUNNING) {
            return; // killing or ended: Mesos sets healthy on TASK_RUNNING updates only
        }
        log.info("{} is {}: {}", task, healthy ? "healthy" : "unhealthy", message);
        tasks.agentUpdate(task, TaskState.TASK_RUNNING, Reason.REASON_TASK_HEALTH_CHECK_STATUS_UPDATED, message,
                healthy);
    }

    private Probe probe(TaskRecord task, HealthCheck check, Map<String, String> environment) {
        Duration timeout = Duration.ofNanos(Math.round(check.getTimeoutSeconds() * 1e9));
        return switch (check.getType()) {
            case HTTP -> new HttpProbe(check.getHttp(), timeout);
            case TCP -> new TcpProbe(check.getTcp().getPort(), timeout);
            default -> {
                Map<String, String> merged = new LinkedHashMap<>(environment);
                merged.putAll(CommandLines.environment(check.getCommand()));
                List<String> argv = CommandLines.argv(check.getCommand());
                // As the task's user when the agent switches users; CommandInfo.user is ignored, as in Mesos.
                yield new CommandProbe(task.container == null ? argv : isolation.asTaskUser(task.container, argv),
                        merged, task.sandbox);
            }
        };
    }
}
