package io.tandem.master;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tandem.api.agent.AgentCall;
import io.tandem.model.AgentId;
import io.tandem.model.FrameworkId;
import io.tandem.model.Resources;
import io.tandem.model.TaskState;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.mesos.v1.Protos;
import org.junit.jupiter.api.Test;

/** {@code GET /tasks/usage} and {@code GET /monitor/statistics} built from a snapshot. */
class TasksWithUsageTest {
    private static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");
    private static final Instant REPORTED = Instant.parse("2026-11-22T11:59:58Z");
    private static final Protos.FrameworkID FRAMEWORK = Protobufs.frameworkId("fw-1");
    private static final Protos.AgentID AGENT = Protobufs.agentId("a1");
    private static final Protos.ExecutorInfo EXECUTOR = Protos.ExecutorInfo.newBuilder()
            .setExecutorId(Protos.ExecutorID.newBuilder().setValue("e1"))
            .setCommand(Protos.CommandInfo.newBuilder().setValue("./executor")).build();
    private final ObjectMapper json = new ObjectMapper();

    private static Protos.ResourceStatistics statistics(double userSeconds, long memory) {
        return Protos.ResourceStatistics.newBuilder().setTimestamp(1795348797.25).setCpusUserTimeSecs(userSeconds)
                .setMemTotalBytes(memory).setMemLimitBytes(64 << 20).setProcesses(2).build();
    }

    private static ClusterSnapshot.TaskView task(String id, TaskState state, boolean ofExecutor) {
        Protos.TaskInfo.Builder info = Protobufs.task(id, AGENT, "cpus:1;mem:32").toBuilder();
        if (ofExecutor) {
            info.clearCommand().setExecutor(EXECUTOR);
        }
        return new ClusterSnapshot.TaskView(new FrameworkId("fw-1"), new AgentId("a1"), "*", info.build(), state,
                Protobufs.status(id, AGENT, Protos.TaskState.valueOf(state.name())), Resources.parse("cpus:1;mem:32"));
    }

    private static ClusterSnapshot snapshot(ReportedUsage usage, ClusterSnapshot.TaskView... tasks) {
        ClusterSnapshot.AgentView agent = new ClusterSnapshot.AgentView(Protobufs.agentInfo("h1", "cpus:4;mem:1024")
                .toBuilder().setId(AGENT).build(), "127.0.0.1", true, true, NOW, Optional.empty(),
                Resources.parse("cpus:4;mem:1024"), Resources.empty(), Resources.empty(), usage);
        return new ClusterSnapshot(NOW, Protos.MasterInfo.getDefaultInstance(), List.of(agent), List.of(), List.of(),
                List.of(tasks), List.of(), List.of(), null, null);
    }

    private static ReportedUsage reported() {
        return new ReportedUsage(List.of(new AgentCall.TaskUsage(FRAMEWORK, Protobufs.taskId("cmd"), statistics(1.5, 4096))),
                List.of(new AgentCall.ExecutorUsage(FRAMEWORK, EXECUTOR.getExecutorId(), statistics(7.0, 8192))),
                REPORTED);
    }

    @Test
    void aRunningCommandTaskShowsItsOwnContainersStatisticsAndWhenTheyWereTakenAndReported() throws Exception {
        JsonNode root = json.readTree(TasksWithUsage.json(snapshot(reported(), task("cmd", TaskState.TASK_RUNNING, false))));

        assertThat(root.get("taken_at").asText()).isEqualTo("2026-11-22T12:00:00Z");
        JsonNode task = root.get("tasks").get(0);
        assertThat(task.get("task_id").asText()).isEqualTo("cmd");
        assertThat(task.get("agent_id").asText()).isEqualTo("a1");
        assertThat(task.get("agent").asText()).isEqualTo("h1:5051");
        assertThat(task.get("state").asText()).isEqualTo("TASK_RUNNING");
        assertThat(task.get("resources").asText()).isEqualTo("cpus:1;mem:32");
        assertThat(task.has("executor_id")).isFalse();
        JsonNode usage = task.get("usage");
        assertThat(usage.get("container").asText()).isEqualTo("task");
        assertThat(usage.get("taken_at").asText()).isEqualTo(Instant.ofEpochMilli(1795348797250L).toString());
        assertThat(usage.get("reported_at").asText()).isEqualTo("2026-11-22T11:59:58Z");
        assertThat(usage.get("statistics").get("cpus_user_time_secs").asDouble()).isEqualTo(1.5);
        assertThat(usage.get("statistics").get("mem_total_bytes").asLong()).isEqualTo(4096);
    }

    @Test
    void tasksOfAnExecutorShareItsContainersStatistics() throws Exception {
        JsonNode tasks = json.readTree(TasksWithUsage.json(snapshot(reported(),
                task("x1", TaskState.TASK_RUNNING, true), task("x2", TaskState.TASK_RUNNING, true)))).get("tasks");

        assertThat(tasks).hasSize(2).allSatisfy(task -> {
            assertThat(task.get("executor_id").asText()).isEqualTo("e1");
            assertThat(task.get("usage").get("container").asText()).isEqualTo("executor");
            assertThat(task.get("usage").get("statistics").get("cpus_user_time_secs").asDouble()).isEqualTo(7.0);
        });
    }

    @Test
    void aTaskNotRunningOrNotReportedHasNoUsage() throws Exception {
        JsonNode tasks = json.readTree(TasksWithUsage.json(snapshot(reported(),
                task("staging", TaskState.TASK_STAGING, false), task("unreported", TaskState.TASK_RUNNING, false))))
                .get("tasks");

        assertThat(tasks).hasSize(2).allSatisfy(task -> assertThat(task.get("usage").isNull()).isTrue());
        JsonNode none = json.readTree(TasksWithUsage.json(snapshot(ReportedUsage.NONE,
                task("cmd", TaskState.TASK_RUNNING, false)))).get("tasks");
        assertThat(none.get(0).get("usage").isNull()).isTrue();
    }

    @Test
    void monitorStatisticsListsAnExecutorsContainerOnceWithoutATask() throws Exception {
        JsonNode entries = json.readTree(TaskStatistics.json(snapshot(reported(), task("cmd", TaskState.TASK_RUNNING, false),
                task("x1", TaskState.TASK_RUNNING, true), task("x2", TaskState.TASK_RUNNING, true))));

        assertThat(entries).hasSize(2);
        assertThat(entries.get(0).get("task_id").asText()).isEqualTo("cmd");
        assertThat(entries.get(1).get("executor_id").asText()).isEqualTo("e1");
        assertThat(entries.get(1).has("task_id")).isFalse();
        assertThat(entries.get(1).get("statistics").get("mem_total_bytes").asLong()).isEqualTo(8192);
    }

    @Test
    void monitorStatisticsLeavesOutAnExecutorWithoutARunningTask() throws Exception {
        JsonNode entries = json.readTree(TaskStatistics.json(snapshot(reported(),
                task("x1", TaskState.TASK_STAGING, true))));

        assertThat(entries).isEmpty();
    }
}
