package io.tandem.agent;

import static io.tandem.agent.Harness.shellTask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import io.tandem.agent.isolation.Isolation;
import io.tandem.agent.isolation.IsolationChoice;
import io.tandem.agent.isolation.LimitPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.ResourceStatistics;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.agent.Protos.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Private /tmp, network namespace, switching users, disk quota and usage statistics, on this
 * machine's kernel (skipped where the agent could not have them). Sleeps last a duration unique to
 * the run, by which cleanup finds and kills them by pid.
 */
class ConfinedTasksTest {
    private static final String CGROUPS = "cgroups/cpu,cgroups/mem,cgroups/pids";
    private static IsolationChoice.Host host;

    @TempDir
    Path workDir;

    private Harness agent;
    private Isolation isolation;
    private final String sleep = "7" + String.format("%d.%05d", 1, new java.util.Random().nextInt(100_000));

    @BeforeAll
    static void detectHost() {
        host = IsolationChoice.Host.detect();
        assumeThat(host.root()).as("the agent runs as root").isTrue();
        assumeThat(host.cgroups().prefersV1()).as("cgroups v1 host").isTrue();
    }

    @AfterEach
    void stopAgent() {
        if (agent != null) {
            agent.close();
            isolation.clearGroup(agent.agentId.getValue());
        }
        ProcessHandle.allProcesses()
                .filter(p -> p.info().arguments().map(a -> a.length == 1 && a[0].equals(sleep)).orElse(false))
                .forEach(ProcessHandle::destroyForcibly);
    }

    private Harness start(String spec, boolean switchUsers, Duration diskInterval) {
        for (String isolator : IsolationChoice.parse(spec)) {
            assumeThat(IsolationChoice.unavailable(isolator, host)).as(isolator).isEmpty();
        }
        isolation = IsolationChoice.choose(spec, host, diskInterval);
        if (switchUsers) {
            assumeThat(host.setpriv()).as("setpriv").isNotNull();
            isolation = isolation.switchingUsers(host.setpriv());
        }
        agent = new Harness(workDir, Duration.ofSeconds(1), isolation, LimitPolicy.none());
        return agent;
    }

    @Test
    void tmpIsTheSandboxesOwnAndInvisibleToTheHost() throws IOException {
        start(CGROUPS + ",filesystem/tmp", false, Duration.ofSeconds(15));
        String name = "tandem-private-" + sleep;

        agent.launch(shellTask("t", "echo secret > /tmp/" + name + "; ls /tmp", "cpus:0.1;mem:32"));

        agent.awaitState("t", TaskState.TASK_FINISHED);
        assertThat(Files.readString(agent.sandbox("t").resolve("stdout")).strip()).isEqualTo(name);
        assertThat(agent.sandbox("t").resolve("tmp").resolve(name)).hasContent("secret");
        assertThat(Path.of("/tmp", name)).doesNotExist();
    }

    @Test
    void networkNamespaceHasOnlyLoopbackAndItIsUp() throws IOException {
        start(CGROUPS + ",namespaces/network", false, Duration.ofSeconds(15));

        agent.launch(shellTask("net", "grep : /proc/net/dev | cut -d: -f1; cat /sys/class/net/lo/operstate;"
                + " ip -o link show lo", "cpus:0.1;mem:32"));

        agent.awaitState("net", TaskState.TASK_FINISHED);
        List<String> lines = Files.readAllLines(agent.sandbox("net").resolve("stdout"));
        assertThat(lines.getFirst().strip()).isEqualTo("lo");
        assertThat(lines.get(1)).doesNotContain(":");
        assertThat(lines.getLast()).contains("lo:").contains("UP");
    }

    @Test
    void taskRunsAsItsFrameworksUserInASandboxThatUserOwns() throws IOException {
        start(CGROUPS, true, Duration.ofSeconds(15));

        agent.launch(shellTask("who", "id -un; id -u; touch mine", "cpus:0.1;mem:32"));

        agent.awaitState("who", TaskState.TASK_FINISHED);
        assertThat(Files.readAllLines(agent.sandbox("who").resolve("stdout"))).containsExactly("nobody", "65534");
        assertThat(Files.getAttribute(agent.sandbox("who"), "unix:uid")).isEqualTo(65534);
        assertThat(Files.getAttribute(agent.sandbox("who").resolve("mine"), "unix:uid")).isEqualTo(65534);
    }

    @Test
    void commandUserOverridesTheFrameworksAndRootOnlyWhenNamed() throws IOException {
        start(CGROUPS, true, Duration.ofSeconds(15));

        agent.launch(shellTask("as-root", "id -un", "cpus:0.1;mem:32").toBuilder()
                .setCommand(CommandInfo.newBuilder().setValue("id -un").setUser("root")).build());

        agent.awaitState("as-root", TaskState.TASK_FINISHED);
        assertThat(Files.readString(agent.sandbox("as-root").resolve("stdout")).strip()).isEqualTo("root");
    }

    @Test
    void unknownUserFailsTheTaskWithTheNameWhileItsNeighbourRuns() {
        start(CGROUPS, true, Duration.ofSeconds(15));
        agent.launch(shellTask("neighbour", "sleep " + sleep, "cpus:0.1;mem:32"));
        agent.awaitState("neighbour", TaskState.TASK_RUNNING);

        agent.launch(Harness.FRAMEWORK.toBuilder().setUser("no-such-user-tandem").build(),
                shellTask("ghost", "true", "cpus:0.1;mem:32"));

        TaskStatus failed = agent.awaitState("ghost", TaskState.TASK_FAILED);
        assertThat(failed.getReason()).isEqualTo(TaskStatus.Reason.REASON_CONTAINER_LAUNCH_FAILED);
        assertThat(failed.getMessage()).contains("no such user 'no-such-user-tandem'");
        assertThat(agent.states("neighbour")).last().isEqualTo(TaskState.TASK_RUNNING);
    }

    @Test
    void taskWritingPastItsDiskFailsWithBothSizes() {
        start(CGROUPS + ",disk/du", false, Duration.ofMillis(200));

        agent.launch(shellTask("filler", "head -c 3000000 /dev/zero > big; exec sleep " + sleep,
                "cpus:0.1;mem:32;disk:1"));

        TaskStatus failed = agent.awaitState("filler", TaskState.TASK_FAILED);
        assertThat(failed.getReason()).isEqualTo(TaskStatus.Reason.REASON_CONTAINER_LIMITATION_DISK);
        assertThat(failed.getMessage()).startsWith("Disk usage").contains("3000000 bytes", "1048576 bytes");
    }

    @Test
    void busyTaskReportsRealCpuMemoryProcessAndDiskNumbers() {
        start(CGROUPS + ",disk/du", false, Duration.ofMillis(200));
        agent.launch(shellTask("busy", "head -c 100000 /dev/zero > file; sleep " + sleep + " & while :; do :; done",
                "cpus:0.5;mem:64;disk:10"));
        agent.awaitState("busy", TaskState.TASK_RUNNING);
        ContainerUsage usage = new ContainerUsage(isolation, InstantSource.system());

        ResourceStatistics statistics = await().atMost(Duration.ofSeconds(20)).until(() -> {
            Response.GetContainers containers = usage.containers(agent.onLoop(
                    () -> ContainerUsage.running(agent.supervisor.tasks())));
            return containers.getContainersCount() == 1 ? containers.getContainers(0).getResourceStatistics() : null;
        }, s -> s != null && s.getCpusUserTimeSecs() >= 0.2 && s.getDiskUsedBytes() >= 100_000);

        assertThat(statistics.getMemTotalBytes()).isPositive();
        assertThat(statistics.getMemLimitBytes()).isEqualTo(64L << 20);
        assertThat(statistics.getCpusLimit()).isEqualTo(0.5);
        assertThat(statistics.getProcesses()).isGreaterThanOrEqualTo(2);
        assertThat(statistics.getDiskLimitBytes()).isEqualTo(10L << 20);
        assertThat(statistics.getTimestamp()).isPositive();
    }

    @Test
    void periodicReportCarriesTheRunningTasksUsage() {
        start(CGROUPS, false, Duration.ofSeconds(15));
        agent.launch(shellTask("reported", "exec sleep " + sleep, "cpus:0.1;mem:32"));
        agent.awaitState("reported", TaskState.TASK_RUNNING);

        agent.onLoop(() -> agent.supervisor.connected(agent.agentId, Duration.ofMillis(100)));

        io.tandem.api.agent.AgentCall.TaskUsage usage = await().atMost(Duration.ofSeconds(20)).until(() -> agent.calls
                .stream().filter(c -> c instanceof io.tandem.api.agent.AgentCall.Report)
                .flatMap(c -> ((io.tandem.api.agent.AgentCall.Report) c).usage().stream()).findFirst().orElse(null),
                u -> u != null);
        assertThat(usage.taskId().getValue()).isEqualTo("reported");
        assertThat(usage.frameworkId()).isEqualTo(Harness.FRAMEWORK_ID);
        assertThat(usage.statistics().getMemLimitBytes()).isEqualTo(32L << 20);
        assertThat(usage.statistics().getProcesses()).isEqualTo(1);
    }

    @Test
    void anExecutorsContainerReportsItsUsageInGetContainersAndToTheMaster() {
        start(CGROUPS, false, Duration.ofSeconds(15));
        agent.launch(shellTask("via-executor", "true", "cpus:0.1;mem:32").toBuilder().clearCommand()
                .setExecutor(ExecutorInfo.newBuilder().setExecutorId(ExecutorID.newBuilder().setValue("e1"))
                        .setName("quiet executor")
                        .setCommand(CommandInfo.newBuilder().setValue("exec sleep " + sleep)))
                .build());
        ContainerUsage usage = new ContainerUsage(isolation, InstantSource.system());

        Response.GetContainers.Container container = await().atMost(Duration.ofSeconds(20)).until(() -> {
            Response.GetContainers containers = usage.containers(agent.onLoop(() -> ContainerUsage.running(
                    agent.supervisor.tasks(), agent.supervisor.executors().all())));
            return containers.getContainersCount() == 1 ? containers.getContainers(0) : null;
        }, c -> c != null && c.getResourceStatistics().getProcesses() == 1);
        assertThat(container.getExecutorId().getValue()).isEqualTo("e1");
        assertThat(container.getExecutorName()).isEqualTo("quiet executor");
        assertThat(container.getFrameworkId()).isEqualTo(Harness.FRAMEWORK_ID);
        assertThat(container.getContainerId().getValue()).isNotEmpty();
        assertThat(container.getResourceStatistics().getMemTotalBytes()).isPositive();
        assertThat(container.getResourceStatistics().getCpusLimit()).isEqualTo(0.1);   // the executor's first task's
        assertThat(container.getResourceStatistics().getTimestamp()).isPositive();

        agent.onLoop(() -> agent.supervisor.connected(agent.agentId, Duration.ofMillis(100)));
        io.tandem.api.agent.AgentCall.ExecutorUsage reported = await().atMost(Duration.ofSeconds(20)).until(() -> agent
                .calls.stream().filter(c -> c instanceof io.tandem.api.agent.AgentCall.Report)
                .flatMap(c -> ((io.tandem.api.agent.AgentCall.Report) c).executors().stream()).findFirst().orElse(null),
                u -> u != null);
        assertThat(reported.executorId().getValue()).isEqualTo("e1");
        assertThat(reported.frameworkId()).isEqualTo(Harness.FRAMEWORK_ID);
        assertThat(reported.statistics().getProcesses()).isEqualTo(1);
    }
}
