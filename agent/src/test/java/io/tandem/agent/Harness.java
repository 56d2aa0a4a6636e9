package io.tandem.agent;

import static org.awaitility.Awaitility.await;

import io.tandem.agent.isolation.Isolation;
import io.tandem.agent.isolation.LimitPolicy;
import io.tandem.agent.loop.EventLoop;
import io.tandem.agent.process.ProcessLauncher;
import io.tandem.agent.process.Sandboxes;
import io.tandem.api.agent.AgentCall;
import io.tandem.api.agent.AgentEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.AgentInfo;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;

/**
 * A {@link Supervisor} on a real loop with real processes, whose master is a recorder that (by
 * default) acknowledges every reliable update at once. Kills every process it saw in {@link #close()}.
 */
final class Harness implements AutoCloseable {
    static final FrameworkID FRAMEWORK_ID = FrameworkID.newBuilder().setValue("fw-1").build();
    static final AgentID AGENT_ID = AgentID.newBuilder().setValue("agent-1").build();
    static final FrameworkInfo FRAMEWORK = FrameworkInfo.newBuilder()
            .setId(FRAMEWORK_ID).setName("test").setUser("nobody").build();

    final EventLoop loop = new EventLoop("test-agent-loop");
    final List<AgentCall> calls = new CopyOnWriteArrayList<>();
    final Path workDir;
    final Supervisor supervisor;
    /** The id the agent was given: {@link #AGENT_ID}, or a unique one for isolated tasks. */
    final AgentID agentId;
    volatile boolean autoAcknowledge = true;
    private final List<Long> pids = new CopyOnWriteArrayList<>();
    private final ProcessLauncher launcher;

    Harness(Path workDir, Duration defaultGrace) {
        this(workDir, defaultGrace, Duration.ofSeconds(30));
    }

    Harness(Path workDir, Duration defaultGrace, Duration executorRegistrationTimeout) {
        this(workDir, defaultGrace, executorRegistrationTimeout, Isolation.none(), LimitPolicy.none());
    }

    /**
     * Command tasks isolated by {@code isolation}, their limits set by {@code limitPolicy}. The
     * agent's id is unique, so its cgroups never meet those of a test running in another build.
     */
    Harness(Path workDir, Duration defaultGrace, Isolation isolation, LimitPolicy limitPolicy) {
        this(workDir, defaultGrace, Duration.ofSeconds(30), isolation, limitPolicy);
    }

    private Harness(Path workDir, Duration defaultGrace, Duration executorRegistrationTimeout, Isolation isolation,
                    LimitPolicy limitPolicy) {
        this.workDir = workDir;
        this.agentId = isolation.isolates()
                ? AgentID.newBuilder().setValue("agent-" + java.util.UUID.randomUUID().toString().substring(0, 8)).build()
                : AGENT_ID;
        AgentInfo info = AgentInfo.newBuilder().setHostname("localhost").setPort(5051).build();
        this.launcher = launcherIn(workDir);
        Supervisor.Settings settings = new Supervisor.Settings(defaultGrace, Duration.ofMillis(200),
                Duration.ofSeconds(1), new ExecutorSupervisor.Timing(executorRegistrationTimeout,
                        Duration.ofSeconds(2), Duration.ofSeconds(2)), isolation, limitPolicy);
        supervisor = new Supervisor(loop, loop, this::record, info, launcher, new Sandboxes(workDir),
                settings, new TaskStatuses(InstantSource.system(), new Random(42)), "127.0.0.1:5051");
        onLoop(() -> supervisor.connected(agentId, Duration.ofMinutes(1)));
    }

    private void record(AgentCall call) {
        calls.add(call);
        if (autoAcknowledge && call instanceof AgentCall.Update update && update.status().hasUuid()) {
            TaskStatus status = update.status();
            loop.execute(() -> supervisor.handle(
                    new AgentEvent.Acknowledge(update.frameworkId(), status.getTaskId(), status.getUuid())));
        }
    }

    void send(AgentEvent event) {
        onLoop(() -> supervisor.handle(event));
    }

    void launch(TaskInfo task) {
        launch(FRAMEWORK, task);
    }

    void launch(FrameworkInfo framework, TaskInfo task) {
        send(new AgentEvent.Launch(framework, task));
    }

    void kill(String taskId, Duration grace) {
        Protos.KillPolicy policy = grace == null ? null : Protos.KillPolicy.newBuilder()
                .setGracePeriod(Protos.DurationInfo.newBuilder().setNanoseconds(grace.toNanos())).build();
        send(new AgentEvent.Kill(FRAMEWORK_ID, taskId(taskId), policy));
    }

    /** Reliable and best-effort updates of one task, in the order the master got them. */
    List<TaskStatus> updates(String taskId) {
        List<TaskStatus> updates = new ArrayList<>();
        for (AgentCall call : calls) {
            if (call instanceof AgentCall.Update u && u.status().getTaskId().getValue().equals(taskId)) {
                updates.add(u.status());
            }
        }
        return updates;
    }

    List<TaskState> states(String taskId) {
        return updates(taskId).stream().filter(TaskStatus::hasUuid).map(TaskStatus::getState).distinct().toList();
    }

    TaskStatus awaitState(String taskId, TaskState state) {
        return await().atMost(Duration.ofSeconds(30)).until(
                () -> updates(taskId).stream().filter(s -> s.getState() == state).findFirst().orElse(null),
                s -> s != null);
    }

    /** The pid of a running command task, remembered for cleanup. */
    long pid(String taskId) {
        long pid = await().atMost(Duration.ofSeconds(30)).until(() -> onLoop(() -> {
            TaskRecord task = supervisor.tasks().get(new io.tandem.agent.status.TaskKey(FRAMEWORK_ID, taskId(taskId)));
            return task == null || task.process == null ? -1L : task.process.pid();
        }), p -> p > 0);
        pids.add(pid);
        return pid;
    }

    void remember(long pid) {
        pids.add(pid);
    }

    Path sandbox(String taskId) {
        return workDir.resolve("sandboxes").resolve(FRAMEWORK_ID.getValue()).resolve(taskId);
    }

    <T> T onLoop(java.util.concurrent.Callable<T> action) {
        try {
            return loop.call(action).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    void onLoop(Runnable action) {
        onLoop(() -> {
            action.run();
            return null;
        });
    }

    static TaskID taskId(String id) {
        return TaskID.newBuilder().setValue(id).build();
    }

    /** A shell task that asks for {@code resources}, e.g. {@code "cpus:0.5;mem:64"}. */
    static TaskInfo shellTask(String id, String script, String resources) {
        return shellTask(id, script).toBuilder()
                .addAllResources(io.tandem.api.ResourceMapping.toMesos(io.tandem.model.Resources.parse(resources), null))
                .build();
    }

    static TaskInfo shellTask(String id, String script) {
        return TaskInfo.newBuilder().setName(id).setTaskId(taskId(id)).setAgentId(AGENT_ID)
                .setCommand(CommandInfo.newBuilder().setValue(script)).build();
    }

    @Override
    public void close() {
        try {
            loop.call(supervisor::shutdownAll).get().get(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            // fall through to the pid sweep
        }
        for (long pid : pids) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
        launcher.close();
        loop.close();
    }

    private static ProcessLauncher launcherIn(Path workDir) {
        try {
            return new ProcessLauncher(workDir.resolve("bin"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
