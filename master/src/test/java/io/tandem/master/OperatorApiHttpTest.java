package io.tandem.master;

import static io.tandem.master.Protobufs.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tandem.api.MediaType;
import io.tandem.api.agent.AgentEvent;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.master.Protos.Call;
import org.apache.mesos.v1.master.Protos.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The read-only operator API and {@code GET /health}, over HTTP. */
class OperatorApiHttpTest {
    @TempDir
    Path dir;
    RunningMaster master;
    FakeAgent agent;
    HttpScheduler scheduler;

    @BeforeEach
    void start() {
        master = new RunningMaster(dir);
        agent = new FakeAgent(master.url()).subscribe(Protobufs.agentInfo("h1", "cpus:4;mem:1024"));
        scheduler = new HttpScheduler(master.url(), MediaType.JSON).subscribe(Protobufs.framework("fw"));
        await().until(() -> !scheduler.offers().isEmpty());
        Protos.Offer offer = scheduler.offers().getFirst();
        scheduler.call(Protobufs.launch(scheduler.frameworkId(), offer.getId(), task("t1", offer.getAgentId(), "cpus:1")));
        await().until(() -> !agent.eventsOf(AgentEvent.Launch.class).isEmpty());
    }

    @AfterEach
    void stop() {
        scheduler.close();
        agent.close();
        master.close();
    }

    @ParameterizedTest
    @EnumSource(MediaType.class)
    void getStateShowsAgentsFrameworksAndTasks(MediaType media) {
        Response.GetState state = master.operator(Call.Type.GET_STATE, media).getGetState();

        assertThat(state.getGetAgents().getAgentsList()).singleElement().satisfies(a -> {
            assertThat(a.getAgentInfo().getHostname()).isEqualTo("h1");
            assertThat(a.getPid()).isEqualTo("slave(1)@127.0.0.1:5051");
            assertThat(a.getActive()).isTrue();
            assertThat(a.getTotalResourcesList()).isNotEmpty();
        });
        assertThat(state.getGetFrameworks().getFrameworksList()).singleElement().satisfies(f -> {
            assertThat(f.getFrameworkInfo().getName()).isEqualTo("fw");
            assertThat(f.getConnected()).isTrue();
        });
        assertThat(state.getGetTasks().getTasksList()).singleElement().satisfies(t -> {
            assertThat(t.getTaskId().getValue()).isEqualTo("t1");
            assertThat(t.getState()).isEqualTo(Protos.TaskState.TASK_STAGING);
            assertThat(t.getAgentId()).isEqualTo(agent.agentId());
        });
    }

    @Test
    void getRolesShowsWhatEachRoleHolds() {
        Response.GetRoles roles = master.operator(Call.Type.GET_ROLES, MediaType.JSON).getGetRoles();

        assertThat(roles.getRolesList()).singleElement().satisfies(r -> {
            assertThat(r.getName()).isEqualTo("*");
            assertThat(r.getWeight()).isEqualTo(1.0);
            assertThat(r.getFrameworksList()).containsExactly(scheduler.frameworkId());
            assertThat(r.getResourcesList()).isNotEmpty();
        });
    }

    @Test
    void updateWeightsAnswers200AndGetRolesAndGetWeightsShowTheWeight() {
        Call update = Call.newBuilder().setType(Call.Type.UPDATE_WEIGHTS).setUpdateWeights(Call.UpdateWeights
                .newBuilder().addWeightInfos(Protos.WeightInfo.newBuilder().setRole("*").setWeight(3.0))).build();

        HttpResponse<byte[]> answer = master.operatorRaw(MediaType.JSON.encode(update), MediaType.JSON);

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(master.operator(Call.Type.GET_WEIGHTS, MediaType.JSON).getGetWeights().getWeightInfosList())
                .singleElement().satisfies(w -> assertThat(w.getWeight()).isEqualTo(3.0));
        assertThat(master.operator(Call.Type.GET_ROLES, MediaType.PROTOBUF).getGetRoles().getRolesList())
                .singleElement().satisfies(r -> assertThat(r.getWeight()).isEqualTo(3.0));
    }

    @Test
    void aRefusedOperatorCallIsABadRequestWithTheReason() {
        Call update = Call.newBuilder().setType(Call.Type.UPDATE_WEIGHTS).setUpdateWeights(Call.UpdateWeights
                .newBuilder().addWeightInfos(Protos.WeightInfo.newBuilder().setRole("eng").setWeight(-2))).build();

        HttpResponse<byte[]> answer = master.operatorRaw(MediaType.JSON.encode(update), MediaType.JSON);

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(new String(answer.body(), StandardCharsets.UTF_8)).contains("UPDATE_WEIGHTS", "eng");
    }

    @Test
    void rolesExplainShowsEachRolesAllocationAndFrameworksInJson() throws Exception {
        HttpResponse<byte[]> answer = master.get(RolesExplanation.PATH);

        assertThat(answer.statusCode()).isEqualTo(200);
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(answer.body());
        assertThat(json.get("allocator").asText()).isEqualTo("drf");
        assertThat(json.get("cluster").asText()).isEqualTo("cpus:4;mem:1024");
        var role = json.get("roles").get(0);
        assertThat(role.get("role").asText()).isEqualTo("*");
        assertThat(role.get("weight").asDouble()).isEqualTo(1.0);
        assertThat(role.get("frameworks").get(0).get("framework_id").asText())
                .isEqualTo(scheduler.frameworkId().getValue());
        assertThat(role.get("frameworks").get(0).get("name").asText()).isEqualTo("fw");
    }

    @Test
    void monitorStatisticsShowsWhatTheAgentLastReportedOfItsRunningTasks() throws Exception {
        agent.update(scheduler.frameworkId(), Protobufs.status("t1", agent.agentId(), Protos.TaskState.TASK_RUNNING));
        await().until(() -> master.tasks().getTasks(0).getState() == Protos.TaskState.TASK_RUNNING);
        Protos.ResourceStatistics statistics = Protos.ResourceStatistics.newBuilder().setTimestamp(1700000000.5)
                .setCpusUserTimeSecs(1.25).setCpusSystemTimeSecs(0.5).setMemTotalBytes(4 << 20)
                .setMemLimitBytes(64 << 20).setProcesses(3).setDiskUsedBytes(1000).build();
        agent.send(new io.tandem.api.agent.AgentCall.Report(java.util.List.of(), java.util.List.of(
                new io.tandem.api.agent.AgentCall.TaskUsage(scheduler.frameworkId(), Protobufs.taskId("t1"), statistics),
                new io.tandem.api.agent.AgentCall.TaskUsage(scheduler.frameworkId(), Protobufs.taskId("gone"),
                        statistics))));

        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(master.get(TaskStatistics.PATH).body());

        assertThat(json).hasSize(1);
        assertThat(json.get(0).get("task_id").asText()).isEqualTo("t1");
        assertThat(json.get(0).get("agent_id").asText()).isEqualTo(agent.agentId().getValue());
        assertThat(json.get(0).get("framework_id").asText()).isEqualTo(scheduler.frameworkId().getValue());
        assertThat(json.get(0).get("statistics").get("cpus_user_time_secs").asDouble()).isEqualTo(1.25);
        assertThat(json.get(0).get("statistics").get("mem_total_bytes").asLong()).isEqualTo(4 << 20);
        assertThat(json.get(0).get("statistics").get("processes").asInt()).isEqualTo(3);
    }

    @Test
    void tasksUsageShowsEachLiveTaskWithItsLatestStatisticsAndWhenTheyWereTaken() throws Exception {
        agent.update(scheduler.frameworkId(), Protobufs.status("t1", agent.agentId(), Protos.TaskState.TASK_RUNNING));
        await().until(() -> master.tasks().getTasks(0).getState() == Protos.TaskState.TASK_RUNNING);
        Protos.ResourceStatistics statistics = Protos.ResourceStatistics.newBuilder().setTimestamp(1700000000.5)
                .setCpusUserTimeSecs(1.25).setCpusSystemTimeSecs(0.5).setMemTotalBytes(4 << 20)
                .setMemLimitBytes(64 << 20).setProcesses(3).setDiskUsedBytes(1000).build();
        agent.send(new io.tandem.api.agent.AgentCall.Report(java.util.List.of(), java.util.List.of(
                new io.tandem.api.agent.AgentCall.TaskUsage(scheduler.frameworkId(), Protobufs.taskId("t1"), statistics))));

        HttpResponse<byte[]> response = master.get(TasksWithUsage.PATH);
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).contains("json"));
        assertThat(json.get("tasks")).singleElement().satisfies(task -> {
            assertThat(task.get("task_id").asText()).isEqualTo("t1");
            assertThat(task.get("framework_id").asText()).isEqualTo(scheduler.frameworkId().getValue());
            assertThat(task.get("state").asText()).isEqualTo("TASK_RUNNING");
            assertThat(task.get("usage").get("taken_at").asText()).isEqualTo("2023-11-14T22:13:20.500Z");
            assertThat(task.get("usage").get("reported_at").asText()).isNotEmpty();
            assertThat(task.get("usage").get("statistics").get("mem_limit_bytes").asLong()).isEqualTo(64 << 20);
        });
    }

    @Test
    void versionAndHealthAnswer() {
        Response version = master.operator(Call.Type.GET_VERSION, MediaType.PROTOBUF);
        Response health = master.operator(Call.Type.GET_HEALTH, MediaType.JSON);
        HttpResponse<byte[]> get = master.get("/health");

        // Tools compare the version with a minimum Mesos version; Tandem's own is in git_tag.
        assertThat(version.getGetVersion().getVersionInfo().getVersion()).isEqualTo("1.11.0");
        assertThat(version.getGetVersion().getVersionInfo().getGitTag()).startsWith("tandem-");
        assertThat(health.getGetHealth().getHealthy()).isTrue();
        assertThat(get.statusCode()).isEqualTo(200);
    }

    @Test
    void anUnsupportedCallIsABadRequestNamingIt() {
        HttpResponse<byte[]> response = master.operatorRaw(
                MediaType.JSON.encode(Call.newBuilder().setType(Call.Type.DRAIN_AGENT).build()), MediaType.JSON);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).contains("DRAIN_AGENT").contains("GET_STATE");
    }

    @Test
    void aMalformedCallIsABadRequest() {
        HttpResponse<byte[]> response = master.operatorRaw("{".getBytes(StandardCharsets.UTF_8), MediaType.JSON);

        assertThat(response.statusCode()).isEqualTo(400);
    }
}
