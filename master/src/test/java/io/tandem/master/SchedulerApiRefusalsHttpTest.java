package io.tandem.master;

import static io.tandem.master.Protobufs.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tandem.api.MediaType;
import io.tandem.api.agent.AgentEvent;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus.Reason;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every bad input to the scheduler API over HTTP: the answer Mesos specifies, with a readable reason,
 * and nothing else changed (no task recorded, the other framework's offer still good).
 */
class SchedulerApiRefusalsHttpTest {
    @TempDir
    Path dir;
    RunningMaster master;
    FakeAgent h1;
    FakeAgent h2;
    FakeAgent h3;
    HttpScheduler fw;
    HttpScheduler other;

    @BeforeEach
    void start() {
        master = new RunningMaster(dir);
        h1 = new FakeAgent(master.url()).subscribe(Protobufs.agentInfo("h1", "cpus:2;mem:1024"));
        h2 = new FakeAgent(master.url()).subscribe(Protobufs.agentInfo("h2", "cpus:2;mem:1024"));
        await().until(() -> h1.subscribed() && h2.subscribed());
        fw = new HttpScheduler(master.url(), MediaType.JSON).subscribe(Protobufs.framework("fw"));
        await().until(() -> fw.offers().size() == 2);
        other = new HttpScheduler(master.url(), MediaType.PROTOBUF).subscribe(Protobufs.framework("other"));
        await().until(() -> !other.events().isEmpty());
        h3 = new FakeAgent(master.url()).subscribe(Protobufs.agentInfo("h3", "cpus:2;mem:1024"));
        await().until(() -> !other.offers().isEmpty());
    }

    @AfterEach
    void stop() {
        fw.close();
        other.close();
        h1.close();
        h2.close();
        h3.close();
        master.close();
    }

    private Protos.Offer offerOn(HttpScheduler scheduler, FakeAgent agent) {
        return scheduler.offers().stream().filter(o -> o.getAgentId().equals(agent.agentId())).findFirst().orElseThrow();
    }

    private Protos.TaskStatus awaitUpdate(HttpScheduler scheduler, String taskId) {
        await().until(() -> scheduler.updates().stream().anyMatch(s -> s.getTaskId().getValue().equals(taskId)));
        return scheduler.updates().stream().filter(s -> s.getTaskId().getValue().equals(taskId)).findFirst().orElseThrow();
    }

    /** Nothing was launched anywhere, and the other framework can still use its offer. */
    private void assertNothingChanged() {
        assertThat(master.tasks().getTasksCount()).isZero();
        assertThat(h1.eventsOf(AgentEvent.Launch.class)).isEmpty();
        assertThat(h2.eventsOf(AgentEvent.Launch.class)).isEmpty();
        Protos.Offer offer = other.offers().getFirst();
        HttpResponse<String> launch = other.call(Protobufs.launch(other.frameworkId(), offer.getId(),
                task("other-task", offer.getAgentId(), "cpus:1")));
        assertThat(launch.statusCode()).isEqualTo(202);
        await().until(() -> !h3.eventsOf(AgentEvent.Launch.class).isEmpty());
    }

    private HttpResponse<String> launch(List<Protos.OfferID> offers, Protos.TaskInfo... tasks) {
        return fw.call(Protobufs.accept(fw.frameworkId(), offers, tasks));
    }

    @Test
    void aMalformedBodyIsABadRequest() {
        HttpResponse<String> json = fw.post("{\"type\": ".getBytes(StandardCharsets.UTF_8), "application/json");
        HttpResponse<String> protobuf = fw.post(new byte[] {(byte) 0xff, 0x01, 0x02}, "application/x-protobuf");

        assertThat(json.statusCode()).isEqualTo(400);
        assertThat(json.body()).startsWith("Failed to parse the call: malformed Call JSON");
        assertThat(protobuf.statusCode()).isEqualTo(400);
        assertThat(protobuf.body()).contains("malformed Call protobuf");
        assertNothingChanged();
    }

    @Test
    void anUnknownCallTypeIsABadRequestNamingIt() {
        String call = "{\"type\":\"EXPLODE\",\"framework_id\":{\"value\":\"" + fw.frameworkId().getValue() + "\"}}";

        HttpResponse<String> response = fw.post(call.getBytes(StandardCharsets.UTF_8), "application/json");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("'EXPLODE'").contains("SUBSCRIBE");
        assertNothingChanged();
    }

    @Test
    void aSubscribeMissingRequiredFieldsIsABadRequest() {
        String call = "{\"type\":\"SUBSCRIBE\",\"subscribe\":{\"framework_info\":{\"name\":\"no user\"}}}";

        HttpResponse<String> response = fw.post(call.getBytes(StandardCharsets.UTF_8), "application/json");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("user");
        assertThat(master.frameworks().getFrameworksCount()).isEqualTo(2);
    }

    @Test
    void anUnsupportedContentTypeIsRefused() {
        HttpResponse<String> response = fw.post("type: REVIVE".getBytes(StandardCharsets.UTF_8), "text/yaml");

        assertThat(response.statusCode()).isEqualTo(415);
        assertThat(response.body()).contains("text/yaml");
    }

    @Test
    void anUnknownOfferLosesTheTasksNamingTheOffer() {
        HttpResponse<String> response = launch(List.of(Protobufs.offerId("no-such-offer")),
                task("t1", h1.agentId(), "cpus:1"));

        assertThat(response.statusCode()).isEqualTo(202);
        Protos.TaskStatus status = awaitUpdate(fw, "t1");
        assertThat(status.getState()).isEqualTo(TaskState.TASK_LOST);
        assertThat(status.getReason()).isEqualTo(Reason.REASON_INVALID_OFFERS);
        assertThat(status.getMessage()).contains("Offer no-such-offer");
        assertNothingChanged();
    }

    @Test
    void anotherFrameworksOfferIsRefusedAndStaysItsOwn() {
        Protos.Offer foreign = other.offers().getFirst();

        launch(List.of(foreign.getId()), task("t1", foreign.getAgentId(), "cpus:1"));

        Protos.TaskStatus status = awaitUpdate(fw, "t1");
        assertThat(status.getState()).isEqualTo(TaskState.TASK_LOST);
        assertThat(status.getMessage()).isEqualTo("Offer " + foreign.getId().getValue() + " was made to another framework");
        assertNothingChanged();
    }

    @Test
    void offersOnTwoAgentsAreRefusedNamingBoth() {
        Protos.Offer first = offerOn(fw, h1);
        Protos.Offer second = offerOn(fw, h2);

        launch(List.of(first.getId(), second.getId()), task("t1", h1.agentId(), "cpus:1"));

        Protos.TaskStatus status = awaitUpdate(fw, "t1");
        assertThat(status.getState()).isEqualTo(TaskState.TASK_LOST);
        assertThat(status.getMessage()).contains(first.getId().getValue()).contains(second.getId().getValue())
                .contains(h1.agentId().getValue()).contains(h2.agentId().getValue());
        assertNothingChanged();
    }

    @Test
    void moreThanWasOfferedIsATaskError() {
        launch(List.of(offerOn(fw, h1).getId()), task("t1", h1.agentId(), "cpus:3"));

        Protos.TaskStatus status = awaitUpdate(fw, "t1");
        assertThat(status.getState()).isEqualTo(TaskState.TASK_ERROR);
        assertThat(status.getReason()).isEqualTo(Reason.REASON_TASK_INVALID);
        assertThat(status.getMessage()).contains("needs more than is left").contains("cpus:3");
        assertNothingChanged();
    }

    @Test
    void negativeAndNanResourcesAreTaskErrors() {
        Protos.TaskInfo negative = task("t1", h1.agentId(), "mem:1").toBuilder().clearResources()
                .addResources(Protobufs.scalar("cpus", -1)).build();
        Protos.TaskInfo nan = task("t2", h1.agentId(), "mem:1").toBuilder().clearResources()
                .addResources(Protobufs.scalar("cpus", Double.NaN)).build();

        launch(List.of(offerOn(fw, h1).getId()), negative, nan);

        assertThat(awaitUpdate(fw, "t1").getMessage()).contains("malformed resources").contains("-1");
        assertThat(awaitUpdate(fw, "t2").getMessage()).contains("malformed resources").contains("NaN");
        assertThat(awaitUpdate(fw, "t2").getState()).isEqualTo(TaskState.TASK_ERROR);
        assertNothingChanged();
    }

    @Test
    void aTaskWithNeitherCommandNorExecutorIsATaskError() {
        launch(List.of(offerOn(fw, h1).getId()), task("t1", h1.agentId(), "cpus:1").toBuilder().clearCommand().build());

        Protos.TaskStatus status = awaitUpdate(fw, "t1");
        assertThat(status.getState()).isEqualTo(TaskState.TASK_ERROR);
        assertThat(status.getMessage()).contains("exactly one of 'command' and 'executor'");
        assertNothingChanged();
    }

    @Test
    void aDuplicateTaskIdIsATaskErrorWhileTheFirstRuns() {
        launch(List.of(offerOn(fw, h1).getId()), task("dup", h1.agentId(), "cpus:0.5"),
                task("dup", h1.agentId(), "cpus:0.5"));

        Protos.TaskStatus status = awaitUpdate(fw, "dup");
        assertThat(status.getState()).isEqualTo(TaskState.TASK_ERROR);
        assertThat(status.getMessage()).isEqualTo("Task ID 'dup' is used by another task in the same call");
        await().until(() -> h1.eventsOf(AgentEvent.Launch.class).size() == 1);
        assertThat(master.tasks().getTasksCount()).isEqualTo(1);
    }

    @Test
    void aMismatchedStreamIdIsForbiddenAndAMissingOneBad() {
        Call revive = Protobufs.simple(fw.frameworkId(), Call.Type.REVIVE);

        HttpResponse<String> wrong = fw.call(revive, "not-the-stream");
        HttpResponse<String> missing = fw.call(revive, null);
        HttpResponse<String> othersStream = fw.call(revive, other.streamId());

        assertThat(wrong.statusCode()).isEqualTo(403);
        assertThat(wrong.body()).contains("'not-the-stream'").contains("didn't match");
        assertThat(othersStream.statusCode()).isEqualTo(403);
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(missing.body()).contains("Mesos-Stream-Id");
        assertNothingChanged();
    }

    @Test
    void aSubscribeCarryingAStreamIdIsABadRequest() {
        HttpResponse<String> response = fw.call(Protobufs.subscribe(Protobufs.framework("x")), "some-stream");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("should not include the 'Mesos-Stream-Id' header");
        assertThat(master.frameworks().getFrameworksCount()).isEqualTo(2);
    }
}
