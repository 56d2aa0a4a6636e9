package io.tandem.agent;

import static io.tandem.agent.Harness.shellTask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import io.tandem.agent.process.LaunchSpec;
import io.tandem.agent.process.ProcessGroup;
import io.tandem.agent.process.ProcessLauncher;
import io.tandem.agent.isolation.Container;
import io.tandem.agent.isolation.Isolation;
import io.tandem.agent.isolation.IsolationChoice;
import io.tandem.agent.isolation.LimitPolicy;
import io.tandem.agent.isolation.Limits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Command tasks under real cgroups v1 and pid namespaces (this machine's kernel; skipped where the
 * agent could not isolate). Each test's processes sleep for a duration unique to the test and the
 * run, the marker by which cleanup finds and kills them by pid; the agent's id is unique too, so
 * builds running side by side on one machine never touch each other's cgroups or processes.
 */
class IsolatedTasksTest {
    private static final String ALL = "cgroups/cpu,cgroups/mem,cgroups/pids,namespaces/pid";
    private static IsolationChoice.Host host;

    @TempDir
    Path workDir;

    private Harness agent;
    private Isolation isolation;
    private final String run = String.format("%05d", new java.util.Random().nextInt(100_000));

    @BeforeAll
    static void detectHost() {
        host = IsolationChoice.Host.detect();
        for (String isolator : IsolationChoice.parse(ALL)) {
            assumeThat(IsolationChoice.unavailable(isolator, host)).as(isolator).isEmpty();
        }
        assumeThat(host.cgroups().prefersV1()).as("cgroups v1 host").isTrue();
    }

    @AfterEach
    void stopAgent() {
        if (agent != null) {
            agent.close();
            isolation.clearGroup(agent.agentId.getValue());
        }
        for (int marker = 1; marker <= 8; marker++) {
            processesRunning("sleep " + seconds(marker)).forEach(ProcessHandle::destroyForcibly);
        }
    }

    /**
     * How long the sleeps of marker {@code n} last, unique to this test instance ("61.<n><run>"),
     * so that the pid sweep never touches another build's processes.
     */
    private String seconds(int n) {
        return "6" + n + "." + run;
    }

    private Harness start(String spec, LimitPolicy policy) {
        isolation = IsolationChoice.choose(spec, host);
        agent = new Harness(workDir, Duration.ofSeconds(1), isolation, policy);
        return agent;
    }

    @Test
    void memoryHogIsKilledAndReportedWhileItsNeighbourKeepsRunning() {
        start(ALL, LimitPolicy.none());
        agent.launch(shellTask("neighbour", "sleep " + seconds(1), "cpus:0.1;mem:32"));
        agent.awaitState("neighbour", TaskState.TASK_RUNNING);

        agent.launch(shellTask("hog", "head -c 400m /dev/zero | tail", "cpus:0.1;mem:64"));

        TaskStatus failed = agent.awaitState("hog", TaskState.TASK_FAILED);
        assertThat(failed.getReason()).isEqualTo(TaskStatus.Reason.REASON_CONTAINER_LIMITATION_MEMORY);
        assertThat(failed.getMessage()).startsWith("Memory limit exceeded").contains("OOM killer", "64 MB");
        assertThat(agent.states("neighbour")).last().isEqualTo(TaskState.TASK_RUNNING);
        assertThat(processesRunning("sleep " + seconds(1))).hasSize(1);
        assertThat(cgroup("memory", "hog")).doesNotExist();
    }

    @Test
    void taskWhoseChildIsOomKilledEndsAtOnceWithTheLimitation() {
        start(ALL, LimitPolicy.none());

        agent.launch(shellTask("parent", "head -c 400m /dev/zero | tail; sleep " + seconds(6), "cpus:0.1;mem:64"));

        TaskStatus failed = agent.awaitState("parent", TaskState.TASK_FAILED);
        assertThat(failed.getReason()).isEqualTo(TaskStatus.Reason.REASON_CONTAINER_LIMITATION_MEMORY);
        assertThat(processesRunning("sleep " + seconds(6))).isEmpty();
    }

    @Test
    void forkBombIsStoppedByThePidsLimit() throws IOException {
        start(ALL, new LimitPolicy(false, 20));
        agent.launch(shellTask("bomb",
                "i=0; while [ $i -lt 100 ]; do sleep " + seconds(2) + " & echo $i; i=$((i+1)); done; wait", "cpus:0.1;mem:64"));

        // The shell gives up at the first fork the kernel refuses; its sleeps die with it.
        TaskStatus failed = agent.awaitState("bomb", TaskState.TASK_FAILED);

        assertThat(failed.getMessage()).isEqualTo("Command exited with status 2");
        assertThat(Files.readString(agent.sandbox("bomb").resolve("stderr"))).contains("fork");
        assertThat(Files.readAllLines(agent.sandbox("bomb").resolve("stdout"))).hasSizeBetween(5, 19);
        assertThat(processesRunning("sleep " + seconds(2))).isEmpty();
        assertThat(cgroup("pids", "bomb")).doesNotExist();
    }

    @Test
    void taskSeesOnlyItsOwnProcessesAndCannotSignalAnother() throws IOException {
        start(ALL, LimitPolicy.none());
        agent.launch(shellTask("other", "sleep " + seconds(3), "cpus:0.1;mem:32"));
        agent.awaitState("other", TaskState.TASK_RUNNING);
        long otherPid = await().until(() -> processesRunning("sleep " + seconds(3)), p -> p.size() == 1).getFirst().pid();

        agent.launch(shellTask("peeker",
                "cat /proc/[0-9]*/cmdline | tr '\\0' ' '; echo; kill -9 " + otherPid + " 2>/dev/null; echo kill=$?",
                "cpus:0.1;mem:32"));

        agent.awaitState("peeker", TaskState.TASK_FINISHED);
        String seen = Files.readString(agent.sandbox("peeker").resolve("stdout"));
        assertThat(seen).doesNotContain(seconds(3)).contains("kill=1");
        assertThat(ProcessHandle.of(otherPid)).get().returns(true, ProcessHandle::isAlive);
        assertThat(agent.states("other")).last().isEqualTo(TaskState.TASK_RUNNING);
    }

    @Test
    void daemonisingTaskLeavesNothingBehind() throws IOException {
        start("cgroups/cpu,cgroups/mem,cgroups/pids", LimitPolicy.none()); // no pid namespace to help
        agent.launch(shellTask("daemon",
                "setsid sh -c 'echo $$ > daemon.pid; exec sleep " + seconds(5) + "' & while [ ! -s daemon.pid ]; do :; done",
                "cpus:0.1;mem:32"));

        agent.awaitState("daemon", TaskState.TASK_FINISHED);

        long daemon = Long.parseLong(Files.readString(agent.sandbox("daemon").resolve("daemon.pid")).strip());
        await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.of(daemon).map(p -> !p.isAlive()).orElse(true));
        assertThat(processesRunning("sleep " + seconds(5))).isEmpty();
        assertThat(cgroup("pids", "daemon")).doesNotExist();
        assertThat(cgroup("memory", "daemon")).doesNotExist();
    }

    @Test
    void daemonOfAnExecutorDiesWithTheExecutor() throws IOException {
        start("cgroups/cpu,cgroups/mem,cgroups/pids", LimitPolicy.none());
        agent.launch(shellTask("via-executor", "true", "cpus:0.1;mem:32").toBuilder().clearCommand()
                .setExecutor(ExecutorInfo.newBuilder().setExecutorId(ExecutorID.newBuilder().setValue("e1"))
                        .setCommand(CommandInfo.newBuilder().setValue("setsid sh -c 'echo $$ > daemon.pid; exec sleep "
                                + seconds(8) + "' & while [ ! -s daemon.pid ]; do :; done")))
                .build());

        agent.awaitState("via-executor", TaskState.TASK_FAILED);

        Path sandbox = workDir.resolve("sandboxes").resolve(Harness.FRAMEWORK_ID.getValue()).resolve("executors/e1");
        long daemon = Long.parseLong(Files.readString(sandbox.resolve("daemon.pid")).strip());
        await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.of(daemon).map(p -> !p.isAlive()).orElse(true));
        assertThat(processesRunning("sleep " + seconds(8))).isEmpty();
        assertThat(CgroupsOf.children(host.cgroups().v1().get("pids").resolve("tandem").resolve(agent.agentId.getValue())))
                .isEmpty();
    }

    @Test
    void busyTaskCappedAtHalfACpuIsThrottledToHalfACore() throws IOException {
        start(ALL, new LimitPolicy(true, 0));
        agent.launch(shellTask("busy", "while :; do :; done", "cpus:0.5;mem:32"));
        agent.awaitState("busy", TaskState.TASK_RUNNING);
        Path usage = cgroup("cpuacct", "busy").resolve("cpuacct.usage");
        Path stat = cgroup("cpu", "busy").resolve("cpu.stat");
        await().until(() -> Files.exists(usage) && Long.parseLong(Files.readString(usage).strip()) > 0);

        long cpu0 = Long.parseLong(Files.readString(usage).strip());
        long wall0 = System.nanoTime();
        // The kernel throttled it: it wanted more than its 50 ms in some 100 ms period. (How much it
        // got depends on what else runs; on a busy machine it may get less than its cap, never more.)
        await().atMost(Duration.ofSeconds(60)).until(() -> throttledPeriods(stat) > 0
                && System.nanoTime() - wall0 >= Duration.ofSeconds(2).toNanos());
        long cpu1 = Long.parseLong(Files.readString(usage).strip());
        double cores = (double) (cpu1 - cpu0) / (System.nanoTime() - wall0);

        assertThat(Files.readString(cgroup("cpu", "busy").resolve("cpu.cfs_quota_us")).strip()).isEqualTo("50000");
        assertThat(cores).isGreaterThan(0).isLessThan(0.6);
    }

    private static long throttledPeriods(Path cpuStat) throws IOException {
        return Files.readAllLines(cpuStat).stream().filter(line -> line.startsWith("nr_throttled "))
                .mapToLong(line -> Long.parseLong(line.split(" ")[1])).findFirst().orElse(0);
    }

    @Test
    void exitStatusAndSignalsPassThroughTheWrappersAsWithoutIsolation() {
        start(ALL, LimitPolicy.none());
        agent.launch(shellTask("three", "exit 3", "cpus:0.1;mem:32"));
        agent.launch(shellTask("stubborn", "trap '' TERM; touch trapped; sleep " + seconds(4), "cpus:0.1;mem:32"));
        agent.launch(shellTask("polite", "sleep " + seconds(4), "cpus:0.1;mem:32"));
        agent.awaitState("stubborn", TaskState.TASK_RUNNING);
        agent.awaitState("polite", TaskState.TASK_RUNNING);
        // TASK_RUNNING comes once the process exists, maybe before its shell ignores SIGTERM.
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(agent.sandbox("stubborn").resolve("trapped")));

        agent.kill("polite", Duration.ofSeconds(20));
        agent.kill("stubborn", Duration.ofMillis(300));

        assertThat(agent.awaitState("three", TaskState.TASK_FAILED).getMessage())
                .isEqualTo("Command exited with status 3");
        assertThat(agent.awaitState("polite", TaskState.TASK_KILLED).getMessage())
                .isEqualTo("Command terminated with signal SIGTERM");
        assertThat(agent.awaitState("stubborn", TaskState.TASK_KILLED).getMessage())
                .isEqualTo("Command terminated with signal SIGKILL");
        assertThat(processesRunning("sleep " + seconds(4))).isEmpty();
    }

    @Test
    void containersLeftByACrashedRunAreKilledAndRemoved() throws IOException {
        Isolation isolation = IsolationChoice.choose(ALL, host);
        String crashed = "crashed-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        Container orphan = isolation.prepare(crashed + "/fw-1.orphan", new Limits(0.1, 0, 32L << 20, 10));
        try (ProcessLauncher launcher = new ProcessLauncher(workDir.resolve("bin"))) {
            ProcessGroup leftover = launcher.launch(new LaunchSpec(List.of("sleep", seconds(7)), Map.of(), workDir),
                    isolation.confinement(orphan), null);
            await().until(() -> processesRunning("sleep " + seconds(7)), p -> p.size() == 1);

            int cleared = isolation.clearGroup(crashed);

            assertThat(cleared).isEqualTo(1);
            await().atMost(Duration.ofSeconds(10)).until(() -> processesRunning("sleep " + seconds(7)).isEmpty());
            await().until(() -> !leftover.isAlive());
        }
        assertThat(host.cgroups().v1().get("memory").resolve("tandem/" + crashed)).doesNotExist();
        assertThat(host.cgroups().v1().get("pids").resolve("tandem/" + crashed)).doesNotExist();
    }

    private Path cgroup(String controller, String taskId) {
        return host.cgroups().v1().get(controller).resolve("tandem").resolve(agent.agentId.getValue())
                .resolve(Harness.FRAMEWORK_ID.getValue() + "." + taskId);
    }

    /** Processes whose whole command line is {@code commandLine}, e.g. "sleep 61.1" (not its wrappers). */
    /** The cgroups below {@code dir}. */
    private static final class CgroupsOf {
        static List<String> children(Path dir) throws IOException {
            if (!Files.isDirectory(dir)) {
                return List.of();
            }
            try (var entries = Files.list(dir)) {
                return entries.filter(Files::isDirectory).map(p -> p.getFileName().toString()).toList();
            }
        }
    }

    private static List<ProcessHandle> processesRunning(String commandLine) {
        String[] words = commandLine.split(" ");
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().command().map(c -> c.endsWith("/" + words[0])).orElse(false)
                        && p.info().arguments().map(a -> String.join(" ", a).equals(words[1])).orElse(false))
                .toList();
    }
}
