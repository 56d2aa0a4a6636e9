package io.tandem.agent;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import io.tandem.agent.process.CommandLines;
import org.apache.mesos.v1.Protos.AgentInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.executor.Protos.Call;
import org.apache.mesos.v1.executor.Protos.Event;

/**
 * Rules of the Mesos v1 executor protocol that need no state: which calls are well formed, and the
 * environment an executor is started with. Pure functions.
 */
final class ExecutorProtocol {
    private ExecutorProtocol() {}

    /** Why {@code call} is malformed regardless of its type, or null when it is well formed. */
    static String invalidCall(Call call) {
        if (!call.hasExecutorId() || call.getExecutorId().getValue().isEmpty()) {
            return "Expecting 'executor_id' to be present";
        }
        if (!call.hasFrameworkId() || call.getFrameworkId().getValue().isEmpty()) {
            return "Expecting 'framework_id' to be present";
        }
        if (!call.hasType() || call.getType() == Call.Type.UNKNOWN) {
            return "Expecting 'type' to be present";
        }
        return null;
    }

    /** Why an UPDATE call is malformed, or null (Mesos's own checks). */
    static String invalidUpdate(Call call) {
        if (!call.hasUpdate()) {
            return "Expecting 'update' to be present";
        }
        TaskStatus status = call.getUpdate().getStatus();
        if (!status.hasUuid()) {
            return "Expecting 'uuid' to be present";
        }
        if (status.getUuid().size() != 16) {
            return "'uuid' must be 16 bytes, got " + status.getUuid().size();
        }
        if (status.getState() == TaskState.TASK_STAGING) {
            return "Received TASK_STAGING from executor";
        }
        if (status.hasExecutorId() && !status.getExecutorId().equals(call.getExecutorId())) {
            return "ExecutorID in Call: " + call.getExecutorId().getValue()
                    + " does not match ExecutorID in TaskStatus: " + status.getExecutorId().getValue();
        }
        return null;
    }

    /** What Mesos sets for an executor it starts, on top of the executor command's own variables. */
    static Map<String, String> environment(ExecutorRecord executor, AgentInfo agent, String agentEndpoint,
                                           Duration shutdownGracePeriod, ExecutorSupervisor.Timing timing) {
        Map<String, String> environment = new LinkedHashMap<>(CommandLines.environment(executor.info.getCommand()));
        String sandbox = executor.sandbox.toString();
        environment.put("MESOS_FRAMEWORK_ID", executor.key.frameworkId().getValue());
        environment.put("MESOS_EXECUTOR_ID", executor.key.executorId().getValue());
        environment.put("MESOS_AGENT_ENDPOINT", agentEndpoint);
        environment.put("MESOS_DIRECTORY", sandbox);
        environment.put("MESOS_SANDBOX", sandbox);
        // With checkpointing, the executor outlives a restart of the agent: it re-subscribes, for this long.
        environment.put("MESOS_CHECKPOINT", executor.framework.getCheckpoint() ? "1" : "0");
        if (executor.framework.getCheckpoint()) {
            environment.put("MESOS_RECOVERY_TIMEOUT", mesosDuration(timing.recoveryTimeout()));
        }
        environment.put("MESOS_HTTP_COMMAND_EXECUTOR", "0");
        environment.put("MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD", mesosDuration(shutdownGracePeriod));
        environment.put("MESOS_SUBSCRIPTION_BACKOFF_MAX", mesosDuration(timing.subscriptionBackoffMax()));
        environment.put("MESOS_CONTAINER_ID", executor.containerId.getValue());
        if (agent.hasId()) {
            environment.put("MESOS_AGENT_ID", agent.getId().getValue());
            environment.put("MESOS_SLAVE_ID", agent.getId().getValue());
        }
        return environment;
    }

    /** Mesos's duration text: "5secs", "250ms". */
    static String mesosDuration(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? (millis / 1000) + "secs" : millis + "ms";
    }

    static Event launchEvent(TaskRecord task) {
        return Event.newBuilder().setType(Event.Type.LAUNCH)
                .setLaunch(Event.Launch.newBuilder().setTask(task.task)).build();
    }

    static ExecutorRecord.Key keyOf(Call call) {
        return new ExecutorRecord.Key(call.getFrameworkId(), call.getExecutorId());
    }

    static String notRunning(Call call) {
        return "Executor '" + call.getExecutorId().getValue() + "' of framework '" + call.getFrameworkId().getValue()
                + "' is not running on this agent";
    }
}
