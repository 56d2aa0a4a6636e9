package io.tandem.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tandem.testkit.RecordingScheduler;
import io.tandem.testkit.RunningFramework;
import io.tandem.testkit.TaskSpec;
import io.tandem.testkit.Tasks;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chaos (issue 5): a master and an agent as real processes ({@code bin/tandem}) and a checkpointing
 * framework whose custom executor ({@link GatedExecutor}, a real JVM on the SDK's executor driver)
 * runs several tasks. The agent is killed with SIGKILL and started again on the same work dir and
 * port: the executor keeps running, re-subscribes with what the agent has not acknowledged, and its
 * tasks stay TASK_RUNNING until they end with the states the executor gives them, each reported once.
 * And when the executor dies too while no agent runs, its tasks fail with REASON_EXECUTOR_TERMINATED.
 */
class ExecutorRecoveryIT {
    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration REREGISTRATION = Duration.ofSeconds(5);
    private static final int TASKS = 6;
    private static final int ENDED_WHILE_DOWN = 2;

    @TempDir
    Path dir;

    private final List<TandemProcess> processes = new ArrayList<>();
    private final List<Long> executorPids = new ArrayList<>();
    private RunningFramework framework;
    private int agentPort;
    private String masterUrl;

    @AfterEach
    void stop() throws InterruptedException {
        if (framework != null) {
            framework.close();
        }
        for (TandemProcess process : processes.reversed()) {
            process.close();
        }
        // The executor outlived the agent that started it, so it is nobody's descendant: by pid.
        executorPids.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
    }

    @Test
    void executorTasksSurviveAnAgentKilledWithSigkillAndEndWithTheirRealStates() throws Exception {
        Path workDir = dir.resolve("agent");
        TandemProcess agent = startCluster(workDir);
        RecordingScheduler scheduler = framework.scheduler();
        ExecutorInfo executor = GatedExecutor.info("gated");
        scheduler.launch(IntStream.range(0, TASKS).mapToObj(i -> task(i, executor)).toArray(TaskSpec[]::new));
        for (int i = 0; i < TASKS; i++) {
            scheduler.awaitState(id(i), TaskState.TASK_RUNNING, START);
        }
        Path sandbox = executorSandbox(workDir, "gated");
        long pid = executorPid(sandbox);

        killWithSigkill(agent);
        Files.createFile(dir.resolve("gate-early"));
        await().atMost(START).until(() -> IntStream.range(0, ENDED_WHILE_DOWN)
                .allMatch(i -> Files.exists(sandbox.resolve("ended-task-" + i))));
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).as("the executor outlives its agent")
                .contains(true);

        startAgent(workDir);
        for (int i = 0; i < ENDED_WHILE_DOWN; i++) {
            assertEnded(scheduler, i);
        }
        await("the executor re-subscribed in time and keeps its tasks")
                .during(REREGISTRATION.plusSeconds(1)).atMost(START)
                .until(() -> IntStream.range(ENDED_WHILE_DOWN, TASKS).allMatch(i -> terminal(scheduler, i).isEmpty()));
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).as("the same executor").contains(true);
        assertThat(executorPid(sandbox)).isEqualTo(pid);

        Files.createFile(dir.resolve("gate"));
        for (int i = 0; i < TASKS; i++) {
            assertEnded(scheduler, i);
        }
        for (int i = 0; i < TASKS; i++) {
            assertThat(scheduler.statuses(id(i)).stream().filter(ExecutorRecoveryIT::isTerminal)
                    .map(TaskStatus::getUuid).distinct())
                    .as("terminal updates of task %d: %s", i, scheduler.states(id(i))).hasSize(1);
        }
    }

    @Test
    void tasksOfAnExecutorThatDiedWhileTheAgentWasDownFailAsExecutorTerminated() throws Exception {
        Path workDir = dir.resolve("agent");
        TandemProcess agent = startCluster(workDir);
        RecordingScheduler scheduler = framework.scheduler();
        ExecutorInfo executor = GatedExecutor.info("doomed");
        scheduler.launch(IntStream.range(0, 3).mapToObj(i -> task(i, executor)).toArray(TaskSpec[]::new));
        for (int i = 0; i < 3; i++) {
            scheduler.awaitState(id(i), TaskState.TASK_RUNNING, START);
        }
        long pid = executorPid(executorSandbox(workDir, "doomed"));

        killWithSigkill(agent);
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();
        await().atMost(START).until(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
        startAgent(workDir);

        for (int i = 0; i < 3; i++) {
            TaskStatus failed = scheduler.awaitState(id(i), TaskState.TASK_FAILED, START);
            assertThat(failed.getReason()).isEqualTo(TaskStatus.Reason.REASON_EXECUTOR_TERMINATED);
            assertThat(failed.getMessage()).isEqualTo("Executor terminated with signal SIGKILL while the agent was away");
        }
        await().atMost(START).until(() -> scheduler.failures().stream()
                .anyMatch(f -> f.executorId() != null && f.executorId().getValue().equals("doomed")));
    }

    /** Task i runs until its gate opens, then ends FINISHED, or FAILED for every third task. */
    private TaskSpec task(int i, ExecutorInfo executor) {
        String gate = dir.resolve(i < ENDED_WHILE_DOWN ? "gate-early" : "gate").toString();
        return Tasks.onExecutor("task-" + i, executor).data(gate + "|" + finalState(i).name());
    }

    private static TaskState finalState(int i) {
        return i % 3 == 1 ? TaskState.TASK_FAILED : TaskState.TASK_FINISHED;
    }

    private void assertEnded(RecordingScheduler scheduler, int i) {
        TaskStatus ended = scheduler.awaitStatus(id(i), ExecutorRecoveryIT::isTerminal, "task-" + i + " ended");
        assertThat(ended.getState()).as("task-%d: %s", i, ended).isEqualTo(finalState(i));
        assertThat(ended.getMessage()).isEqualTo("gate " + (i < ENDED_WHILE_DOWN ? "gate-early" : "gate") + " opened");
        assertThat(ended.getSource()).isEqualTo(TaskStatus.Source.SOURCE_EXECUTOR);
    }

    private static Optional<TaskStatus> terminal(RecordingScheduler scheduler, int i) {
        return scheduler.statuses(id(i)).stream().filter(ExecutorRecoveryIT::isTerminal).findFirst();
    }

    private static boolean isTerminal(TaskStatus status) {
        return io.tandem.model.TaskState.valueOf(status.getState().name()).isTerminal();
    }

    private static TaskID id(int i) {
        return Tasks.id("task-" + i);
    }

    private static Path executorSandbox(Path workDir, String executorId) throws IOException {
        try (var frameworks = Files.list(workDir.resolve("sandboxes"))) {
            return frameworks.toList().getFirst().resolve("executors").resolve(executorId);
        }
    }

    private long executorPid(Path sandbox) throws IOException {
        Path file = sandbox.resolve("pid");
        await().atMost(START).until(() -> Files.exists(file) && !Files.readString(file).isBlank());
        long pid = Long.parseLong(Files.readString(file).strip());
        if (!executorPids.contains(pid)) {
            executorPids.add(pid);
        }
        return pid;
    }

    private static void killWithSigkill(TandemProcess agent) throws InterruptedException {
        ProcessHandle.of(agent.pid()).orElseThrow().destroyForcibly(); // kill -9
        agent.awaitExit(Duration.ofSeconds(30));
    }

    private TandemProcess startCluster(Path workDir) throws IOException {
        TandemProcess master = TandemProcess.start("master", "--port", "0", "--bind-address", "127.0.0.1",
                "--work-dir", dir.resolve("master").toString(), "--allocation-interval", "200ms",
                "--agent-timeout", "60s");
        processes.add(master);
        String url = master.awaitStdout("listening on (http://\\S+)", START).replaceAll("/$", "");
        masterUrl = url;
        try (ServerSocket probe = new ServerSocket(0)) {
            agentPort = probe.getLocalPort(); // fixed across the restart: executors find their agent there
        }
        TandemProcess agent = startAgent(workDir);
        framework = RunningFramework.start(URI.create(url),
                RunningFramework.info("executor-recovery").toBuilder().setCheckpoint(true).build(),
                new RecordingScheduler());
        return agent;
    }

    private TandemProcess startAgent(Path workDir) throws IOException {
        TandemProcess agent = TandemProcess.start("agent", "--master", masterUrl, "--port", Integer.toString(agentPort),
                "--bind-address", "127.0.0.1", "--work-dir", workDir.toString(),
                "--resources", "cpus:8;mem:4096;disk:4096;ports:[31000-31099]",
                "--executor-reregistration-timeout", REREGISTRATION.toSeconds() + "s");
        processes.add(agent);
        agent.awaitStdout("(listening on .*)", START);
        return agent;
    }
}
