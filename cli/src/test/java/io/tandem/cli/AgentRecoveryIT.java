package io.tandem.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tandem.testkit.RecordingScheduler;
import io.tandem.testkit.RunningFramework;
import io.tandem.testkit.TaskSpec;
import io.tandem.testkit.Tasks;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chaos (issue 5, 7b): a master and an agent as real processes ({@code bin/tandem}); 50 tasks run;
 * the agent is killed with SIGKILL and started again on the same work dir. The tasks keep running
 * under their supervisor shells (the same processes), the restarted agent re-attaches to them, and
 * each one's real end reaches the framework once: five tasks end while no agent runs, the rest
 * after the restart, with exit codes 0, 3 and 42.
 */
class AgentRecoveryIT {
    private static final Duration START = Duration.ofSeconds(60);
    private static final int TASKS = 50;
    private static final int ENDED_WHILE_DOWN = 5;

    @TempDir
    Path dir;

    private final List<TandemProcess> processes = new ArrayList<>();
    private final List<Long> taskPids = new ArrayList<>();
    private RunningFramework framework;

    @AfterEach
    void stop() throws InterruptedException {
        if (framework != null) {
            framework.close();
        }
        for (TandemProcess process : processes.reversed()) {
            process.close();
        }
        // The tasks outlived the agent that started them, so they are nobody's descendants: by pid.
        taskPids.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
    }

    @Test
    void tasksSurviveAnAgentKilledWithSigkillAndEndWithTheirRealExitCodes() throws Exception {
        String master = startMaster();
        Path workDir = dir.resolve("agent");
        TandemProcess agent = startAgent(master, workDir);
        framework = RunningFramework.start(URI.create(master), RunningFramework.info("chaos"), new RecordingScheduler());
        RecordingScheduler scheduler = framework.scheduler();
        scheduler.launch(IntStream.range(0, TASKS).mapToObj(this::task).toArray(TaskSpec[]::new));
        for (int i = 0; i < TASKS; i++) {
            scheduler.awaitState(id(i), TaskState.TASK_RUNNING, START);
        }
        Map<Integer, Long> pids = readPids(workDir);

        ProcessHandle.of(agent.pid()).orElseThrow().destroyForcibly(); // kill -9
        agent.awaitExit(Duration.ofSeconds(30));
        Files.createFile(dir.resolve("gate-early"));
        await().atMost(START).until(() -> IntStream.range(0, ENDED_WHILE_DOWN)
                .noneMatch(i -> ProcessHandle.of(pids.get(i)).map(ProcessHandle::isAlive).orElse(false)));
        assertThat(IntStream.range(ENDED_WHILE_DOWN, TASKS)).as("the tasks outlive their agent")
                .allMatch(i -> ProcessHandle.of(pids.get(i)).map(ProcessHandle::isAlive).orElse(false));

        startAgent(master, workDir);
        for (int i = 0; i < ENDED_WHILE_DOWN; i++) {
            assertEnded(scheduler, i);
        }
        assertThat(readPids(workDir)).as("the same processes run, none was started again").isEqualTo(pids);
        assertThat(IntStream.range(ENDED_WHILE_DOWN, TASKS))
                .allMatch(i -> ProcessHandle.of(pids.get(i)).map(ProcessHandle::isAlive).orElse(false))
                .allMatch(i -> terminal(scheduler, i).isEmpty());

        Files.createFile(dir.resolve("gate"));
        for (int i = 0; i < TASKS; i++) {
            assertEnded(scheduler, i);
        }
        for (int i = 0; i < TASKS; i++) {
            assertThat(scheduler.statuses(id(i)).stream().filter(AgentRecoveryIT::isTerminal)
                    .map(TaskStatus::getUuid).distinct())
                    .as("terminal updates of task %d: %s", i, scheduler.states(id(i))).hasSize(1);
        }
    }

    /** Task i writes its shell's pid, waits for its gate, then exits with its code. */
    private TaskSpec task(int i) {
        String gate = dir.resolve(i < ENDED_WHILE_DOWN ? "gate-early" : "gate").toString();
        return Tasks.shell("task-" + i, "echo $$ > pid; while [ ! -e '" + gate + "' ]; do sleep 0.5; done; exit "
                + exitCode(i));
    }

    private static int exitCode(int i) {
        return i % 5 == 1 ? 3 : i % 7 == 2 ? 42 : 0;
    }

    private void assertEnded(RecordingScheduler scheduler, int i) {
        int code = exitCode(i);
        TaskStatus ended = scheduler.awaitStatus(id(i), AgentRecoveryIT::isTerminal, "task-" + i + " ended");
        assertThat(ended.getState()).as("task-%d: %s", i, ended).isEqualTo(code == 0 ? TaskState.TASK_FINISHED
                : TaskState.TASK_FAILED);
        assertThat(ended.getMessage()).isEqualTo("Command exited with status " + code);
    }

    private static Optional<TaskStatus> terminal(RecordingScheduler scheduler, int i) {
        return scheduler.statuses(id(i)).stream().filter(AgentRecoveryIT::isTerminal).findFirst();
    }

    private static boolean isTerminal(TaskStatus status) {
        return io.tandem.model.TaskState.valueOf(status.getState().name()).isTerminal();
    }

    private static TaskID id(int i) {
        return Tasks.id("task-" + i);
    }

    private Map<Integer, Long> readPids(Path workDir) throws IOException {
        Map<Integer, Long> pids = new HashMap<>();
        try (var files = Files.find(workDir.resolve("sandboxes"), 3, (p, a) -> p.getFileName().toString().equals("pid"))) {
            for (Path file : files.toList()) {
                int task = Integer.parseInt(file.getParent().getFileName().toString().substring("task-".length()));
                pids.put(task, Long.parseLong(Files.readString(file).strip()));
            }
        }
        assertThat(pids).hasSize(TASKS);
        pids.values().stream().filter(pid -> !taskPids.contains(pid)).forEach(taskPids::add);
        return pids;
    }

    private String startMaster() throws IOException {
        TandemProcess master = TandemProcess.start("master", "--port", "0", "--bind-address", "127.0.0.1",
                "--work-dir", dir.resolve("master").toString(), "--allocation-interval", "200ms",
                "--agent-timeout", "60s");
        processes.add(master);
        return master.awaitStdout("listening on (http://\\S+)", START).replaceAll("/$", "");
    }

    private TandemProcess startAgent(String master, Path workDir) throws IOException {
        TandemProcess agent = TandemProcess.start("agent", "--master", master, "--port", "0",
                "--bind-address", "127.0.0.1", "--work-dir", workDir.toString(),
                "--resources", "cpus:8;mem:4096;disk:4096;ports:[31000-31099]");
        processes.add(agent);
        agent.awaitStdout("(listening on .*)", START);
        return agent;
    }
}
