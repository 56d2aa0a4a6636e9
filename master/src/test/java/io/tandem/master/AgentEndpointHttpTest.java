package io.tandem.master;

import static io.tandem.master.Protobufs.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tandem.api.MediaType;
import io.tandem.api.agent.AgentCall;
import io.tandem.api.agent.AgentEvent;
import io.tandem.api.agent.AgentProtocol;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.Protos.TaskState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /internal/agent} over HTTP: subscription, refusals, and what a silent agent means to frameworks. */
class AgentEndpointHttpTest {
    @TempDir
    Path dir;
    RunningMaster master;

    @BeforeEach
    void start() {
        master = new RunningMaster(LoopDriver.config(dir).withAgentTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(15)));
    }

    @AfterEach
    void stop() {
        master.close();
    }

    private HttpResponse<String> post(String body, String streamId, String agentId) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(master.url().resolve(AgentProtocol.PATH))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (streamId != null) {
            request.header(AgentProtocol.STREAM_ID_HEADER, streamId).header(AgentProtocol.AGENT_ID_HEADER, agentId);
        }
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    @Test
    void anAgentGetsItsIdAndTimeoutsOnSubscribing() {
        try (FakeAgent agent = new FakeAgent(master.url()).subscribe(Protobufs.agentInfo("h1", "cpus:2;mem:512"))) {
            await().until(agent::subscribed);

            AgentEvent.Subscribed subscribed = agent.eventsOf(AgentEvent.Subscribed.class).getFirst();
            assertThat(subscribed.agentId().getValue()).endsWith("-S0");
            assertThat(subscribed.reportIntervalSeconds()).isEqualTo(1.0);
            assertThat(subscribed.agentTimeoutSeconds()).isEqualTo(15.0);
            assertThat(agent.report().statusCode()).isEqualTo(202);
        }
    }

    @Test
    void malformedResourcesAreRefusedNamingTheResource() {
        Protos.AgentInfo bad = Protobufs.agentInfo("h1", "mem:512").toBuilder()
                .addResources(Protobufs.scalar("cpus", -2)).build();

        try (FakeAgent agent = new FakeAgent(master.url()).subscribe(bad)) {
            assertThat(agent.subscribeStatus()).isEqualTo(400);
            assertThat(agent.refusal()).contains("'cpus'").contains("-2");
        }
    }

    @Test
    void malformedCallsAndMissingHeadersAreBadRequests() throws Exception {
        HttpResponse<String> garbage = post("{\"type\":\"EXPLODE\"}", null, null);
        HttpResponse<String> noHeaders = post("{\"type\":\"REPORT\",\"used\":[]}", null, null);

        assertThat(garbage.statusCode()).isEqualTo(400);
        assertThat(garbage.body()).contains("EXPLODE");
        assertThat(noHeaders.statusCode()).isEqualTo(400);
        assertThat(noHeaders.body()).contains(AgentProtocol.STREAM_ID_HEADER);
    }

    @Test
    void aBatchOfUpdatesReachesTheFrameworkInOrderAndABadOneIsRefusedWhole() {
        try (FakeAgent agent = new FakeAgent(master.url()).subscribe(Protobufs.agentInfo("h1", "cpus:2;mem:512"));
             HttpScheduler scheduler = new HttpScheduler(master.url(), MediaType.JSON)
                     .subscribe(Protobufs.framework("batch"))) {
            await().until(() -> !scheduler.offers().isEmpty());
            launchRunning(scheduler, agent, "t1", "cpus:1;mem:256");

            HttpResponse<String> refused = agent.send(new AgentCall.Updates(List.of(
                    new AgentCall.Update(Protobufs.status("t1", agent.agentId(), TaskState.TASK_FAILED),
                            scheduler.frameworkId()),
                    new AgentCall.Update(Protobufs.status("t1", agent.agentId(), TaskState.TASK_FAILED), null))));
            HttpResponse<String> accepted = agent.send(new AgentCall.Updates(List.of(
                    new AgentCall.Update(Protobufs.status("t1", agent.agentId(), TaskState.TASK_RUNNING),
                            scheduler.frameworkId()),
                    new AgentCall.Update(Protobufs.status("t1", agent.agentId(), TaskState.TASK_FINISHED),
                            scheduler.frameworkId()))));

            assertThat(refused.statusCode()).isEqualTo(400);
            assertThat(refused.body()).contains("UPDATES").contains("framework_id");
            assertThat(accepted.statusCode()).isEqualTo(202);
            await().until(() -> scheduler.updates().getLast().getState() == TaskState.TASK_FINISHED);
            assertThat(scheduler.updates()).extracting(Protos.TaskStatus::getState)
                    .doesNotContain(TaskState.TASK_FAILED)
                    .endsWith(TaskState.TASK_RUNNING, TaskState.TASK_FINISHED);
        }
    }

    @Test
    void aCallOnAnotherStreamIsForbidden() throws Exception {
        try (FakeAgent agent = new FakeAgent(master.url()).subscribe(Protobufs.agentInfo("h1", "cpus:2;mem:512"))) {
            await().until(agent::subscribed);

            HttpResponse<String> response = post("{\"type\":\"REPORT\",\"used\":[]}", "stale", agent.agentId().getValue());

            assertThat(response.statusCode()).isEqualTo(403);
            assertThat(response.body()).contains("subscribe again");
        }
    }

    @Test
    void aSilentAgentsTasksAreUnreachableForPartitionAwareFrameworksAndLostForOthers() {
        try (FakeAgent agent = new FakeAgent(master.url()).subscribe(Protobufs.agentInfo("h1", "cpus:2;mem:512"));
             HttpScheduler aware = new HttpScheduler(master.url(), MediaType.JSON)
                     .subscribe(Protobufs.partitionAware(Protobufs.framework("aware")));
             HttpScheduler plain = new HttpScheduler(master.url(), MediaType.PROTOBUF)
                     .subscribe(Protobufs.framework("plain"))) {
            await().until(() -> aware.offers().size() + plain.offers().size() == 1);
            HttpScheduler first = aware.offers().isEmpty() ? plain : aware;
            HttpScheduler second = first == aware ? plain : aware;
            launchRunning(first, agent, "t1", "cpus:1;mem:256");
            await().until(() -> !second.offers().isEmpty());
            launchRunning(second, agent, "t2", "cpus:1;mem:256");

            master.clock.advance(Duration.ofSeconds(16));

            await().until(() -> aware.updates().getLast().getState() == TaskState.TASK_UNREACHABLE);
            await().until(() -> plain.updates().getLast().getState() == TaskState.TASK_LOST);
            assertThat(aware.updates().getLast().getReason()).isEqualTo(Protos.TaskStatus.Reason.REASON_AGENT_REMOVED);
            assertThat(agent.report().statusCode()).isEqualTo(403);
            assertThat(master.tasks().getUnreachableTasksCount()).isEqualTo(2);
        }
    }

    private void launchRunning(HttpScheduler scheduler, FakeAgent agent, String taskId, String resources) {
        Protos.Offer offer = scheduler.offers().getLast();
        scheduler.call(Protobufs.launch(scheduler.frameworkId(), offer.getId(),
                task(taskId, offer.getAgentId(), resources)));
        await().until(() -> agent.eventsOf(AgentEvent.Launch.class).stream()
                .anyMatch(l -> l.task().getTaskId().getValue().equals(taskId)));
        agent.update(scheduler.frameworkId(), Protobufs.status(taskId, agent.agentId(), TaskState.TASK_RUNNING));
        await().until(() -> !scheduler.updates().isEmpty());
    }

}
