package io.tandem.agent;

import io.tandem.agent.process.CommandLines;
import io.tandem.agent.process.ExitStatus;
import io.tandem.agent.process.LaunchSpec;
import io.tandem.agent.process.ProcessGroup;
import io.tandem.agent.process.ProcessLauncher;
import io.tandem.agent.process.Sandboxes;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.KillPolicy;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus.Reason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks that carry a {@code command} directly under the agent's supervision, the way Mesos's
 * command executor does, but without an executor process: sandbox, own process group, exit code
 * turned into TASK_FINISHED / TASK_FAILED / TASK_KILLED.
 *
 * <p>Owned by the agent loop thread; sandbox creation and process start run on a virtual thread
 * and post their outcome back through {@code loop}.
 */
final class CommandTasks {
    private static final Logger log = LoggerFactory.getLogger(CommandTasks.class);

    private final Executor loop;
    private final TaskTable tasks;
    private final ProcessLauncher launcher;
    private final Sandboxes sandboxes;
    private final Duration defaultGracePeriod;
    private final Supplier<AgentID> agentId;

    CommandTasks(Executor loop, TaskTable tasks, ProcessLauncher launcher, Sandboxes sandboxes,
                 Duration defaultGracePeriod, Supplier<AgentID> agentId) {
        this.loop = loop;
        this.tasks = tasks;
        this.launcher = launcher;
        this.sandboxes = sandboxes;
        this.defaultGracePeriod = defaultGracePeriod;
        this.agentId = agentId;
    }

    /** Starts {@code task}, already in the table: TASK_STARTING now, TASK_RUNNING once the process runs. */
    void launch(TaskRecord task) {
        LaunchSpec spec;
        task.sandbox = sandboxes.forTask(task.key.frameworkId().getValue(), task.key.taskId().getValue());
        try {
            spec = new LaunchSpec(CommandLines.argv(task.task.getCommand()), environment(task), task.sandbox);
        } catch (IllegalArgumentException e) {
            tasks.agentUpdate(task, TaskState.TASK_FAILED, Reason.REASON_CONTAINER_LAUNCH_FAILED,
                    "Failed to launch the command: " + e.getMessage());
            task.ended.complete(null);
            return;
        }
        tasks.agentUpdate(task, TaskState.TASK_STARTING, null, null);
        Thread.ofVirtual().name("launch-" + task.key).start(() -> {
            try {
                Sandboxes.createFresh(spec.sandbox());
                ProcessGroup process = new ProcessGroup(launcher.launch(spec));
                loop.execute(() -> started(task, process));
            } catch (IOException | RuntimeException e) {
                loop.execute(() -> failedToStart(task, e));
            }
        });
    }

    /**
     * Kills {@code task}: TASK_KILLING first for frameworks that understand it, then SIGTERM to its
     * process group and SIGKILL after the grace period ({@code override}, else the task's kill
     * policy, else the agent default). A second kill may shorten the grace period.
     */
    void kill(TaskRecord task, KillPolicy override) {
        if (task.isTerminal()) {
            return;
        }
        task.killRequested = true;
        if (task.process == null) {
            return; // still launching; started() kills it
        }
        if (supportsKilling(task.framework) && task.state() != TaskState.TASK_KILLING) {
            tasks.agentUpdate(task, TaskState.TASK_KILLING, null, null);
        }
        task.process.terminate(gracePeriod(task, override));
    }

    private void started(TaskRecord task, ProcessGroup process) {
        task.process = process;
        log.debug("{} started as process group {}", task, process.pid());
        process.exit().thenAccept(exit -> {
            process.kill(); // whatever the command left running in its group dies with it
            loop.execute(() -> exited(task, exit));
        });
        if (task.killRequested) {
            process.terminate(gracePeriod(task, null));
        } else {
            tasks.agentUpdate(task, TaskState.TASK_RUNNING, null, null);
        }
    }

    private void failedToStart(TaskRecord task, Exception e) {
        log.debug("{} failed to start", task, e);
        task.ended.complete(null);
        if (task.killRequested) {
            tasks.agentUpdate(task, TaskState.TASK_KILLED, Reason.REASON_TASK_KILLED_DURING_LAUNCH,
                    "Task was killed before it started");
        } else {
            tasks.agentUpdate(task, TaskState.TASK_FAILED, Reason.REASON_CONTAINER_LAUNCH_FAILED, e.getMessage());
        }
    }

    private void exited(TaskRecord task, ExitStatus exit) {
        task.ended.complete(null);
        String message = exit.describe("Command");
        if (task.killRequested) {
            tasks.agentUpdate(task, TaskState.TASK_KILLED, null, message);
        } else if (exit.succeeded()) {
            tasks.agentUpdate(task, TaskState.TASK_FINISHED, null, message);
        } else {
            tasks.agentUpdate(task, TaskState.TASK_FAILED, Reason.REASON_COMMAND_EXECUTOR_FAILED, message);
        }
    }

    private Map<String, String> environment(TaskRecord task) {
        Map<String, String> environment = new LinkedHashMap<>(CommandLines.environment(task.task.getCommand()));
        environment.put("MESOS_SANDBOX", task.sandbox.toString());
        environment.put("MESOS_DIRECTORY", task.sandbox.toString());
        environment.put("MESOS_TASK_ID", task.key.taskId().getValue());
        environment.put("MESOS_FRAMEWORK_ID", task.key.frameworkId().getValue());
        AgentID agent = agentId.get();
        if (agent != null) {
            environment.put("MESOS_AGENT_ID", agent.getValue());
            environment.put("MESOS_SLAVE_ID", agent.getValue());
        }
        return environment;
    }

    private Duration gracePeriod(TaskRecord task, KillPolicy override) {
        if (override != null && override.hasGracePeriod()) {
            return Duration.ofNanos(override.getGracePeriod().getNanoseconds());
        }
        if (task.task.hasKillPolicy() && task.task.getKillPolicy().hasGracePeriod()) {
            return Duration.ofNanos(task.task.getKillPolicy().getGracePeriod().getNanoseconds());
        }
        return defaultGracePeriod;
    }

    static boolean supportsKilling(FrameworkInfo framework) {
        return framework.getCapabilitiesList().stream()
                .anyMatch(c -> c.getType() == FrameworkInfo.Capability.Type.TASK_KILLING_STATE);
    }
}
