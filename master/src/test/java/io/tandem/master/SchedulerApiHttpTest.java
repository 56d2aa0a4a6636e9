package io.tandem.master;

import static io.tandem.master.Protobufs.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tandem.api.MediaType;
import io.tandem.api.ResourceMapping;
import io.tandem.api.agent.AgentEvent;
import io.tandem.model.Resources;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The happy path of the scheduler API over real HTTP, in both encodings, with a fake agent. */
class SchedulerApiHttpTest {
    @TempDir
    Path dir;
    RunningMaster master;
    FakeAgent agent;
    HttpScheduler scheduler;

    @BeforeEach
    void start() {
        master = new RunningMaster(dir);
        agent = new FakeAgent(master.url()).subscribe(Protobufs.agentInfo("h1", "cpus:4;mem:1024"));
        await().until(agent::subscribed);
    }

    @AfterEach
    void stop() {
        if (scheduler != null) {
            scheduler.close();
        }
        agent.close();
        master.close();
    }

    @ParameterizedTest
    @EnumSource(MediaType.class)
    void aRequestDeclaresDemandAndLaterOffersAreTaskSized(MediaType media) {
        scheduler = new HttpScheduler(master.url(), media).subscribe(Protobufs.framework("fw"));
        await().until(() -> !scheduler.offers().isEmpty());
        Protos.FrameworkID fw = scheduler.frameworkId();
        Protos.Request task = Protos.Request.newBuilder().addAllResources(ResourceMapping.toMesos(
                Resources.parse("cpus:1;mem:128"), null)).build();
        Call.Builder request = Call.newBuilder().setType(Call.Type.REQUEST).setFrameworkId(fw);

        HttpResponse<String> declared = scheduler.call(request.setRequest(
                Call.Request.newBuilder().addRequests(task).addRequests(task)).build());
        HttpResponse<String> refused = scheduler.call(request.setRequest(
                Call.Request.newBuilder().addRequests(task.toBuilder()
                        .setResources(0, task.getResources(0).toBuilder().setAllocationInfo(
                                Protos.Resource.AllocationInfo.newBuilder().setRole("other"))))).build());
        scheduler.call(Protobufs.decline(fw, scheduler.offers().getFirst().getId(), 0));

        assertThat(declared.statusCode()).isEqualTo(202);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("role 'other'", "does not hold");
        await().until(() -> scheduler.offers().size() >= 2);
        assertThat(ResourceMapping.fromMesos(scheduler.offers().get(1).getResourcesList()))
                .isEqualTo(Resources.parse("cpus:2;mem:256"));
    }

    @ParameterizedTest
    @EnumSource(MediaType.class)
    void aTaskIsLaunchedAndItsUpdatesAcknowledgedEndToEnd(MediaType media) {
        scheduler = new HttpScheduler(master.url(), media).subscribe(Protobufs.framework("fw"));
        assertThat(scheduler.subscribeStatus()).isEqualTo(200);
        assertThat(scheduler.streamId()).isNotBlank();
        await().until(() -> !scheduler.offers().isEmpty());
        assertThat(scheduler.events().getFirst().getType()).isEqualTo(Event.Type.SUBSCRIBED);
        Protos.Offer offer = scheduler.offers().getFirst();
        Protos.FrameworkID fw = scheduler.frameworkId();

        HttpResponse<String> accepted = scheduler.call(Protobufs.launch(fw, offer.getId(),
                task("t1", offer.getAgentId(), "cpus:1;mem:128")));
        assertThat(accepted.statusCode()).isEqualTo(202);
        await().until(() -> !agent.eventsOf(AgentEvent.Launch.class).isEmpty());
        assertThat(agent.eventsOf(AgentEvent.Launch.class).getFirst().task().getTaskId().getValue()).isEqualTo("t1");

        Protos.TaskStatus running = Protobufs.status("t1", offer.getAgentId(), TaskState.TASK_RUNNING);
        assertThat(agent.update(fw, running).statusCode()).isEqualTo(202);
        await().until(() -> !scheduler.updates().isEmpty());
        assertThat(scheduler.updates().getFirst()).isEqualTo(running);

        assertThat(scheduler.call(Protobufs.acknowledge(fw, running)).statusCode()).isEqualTo(202);
        await().until(() -> !agent.eventsOf(AgentEvent.Acknowledge.class).isEmpty());
        assertThat(agent.eventsOf(AgentEvent.Acknowledge.class).getFirst().uuid()).isEqualTo(running.getUuid());
        assertThat(master.tasks().getTasksList()).singleElement()
                .satisfies(t -> assertThat(t.getState()).isEqualTo(TaskState.TASK_RUNNING));
    }

    @ParameterizedTest
    @EnumSource(MediaType.class)
    void offersCarryTheIpTheAgentConnectedFrom(MediaType media) {
        scheduler = new HttpScheduler(master.url(), media).subscribe(Protobufs.framework("fw"));
        await().until(() -> !scheduler.offers().isEmpty());

        Protos.URL url = scheduler.offers().getFirst().getUrl();
        assertThat(url.getScheme()).isEqualTo("http");
        assertThat(url.getAddress().getIp()).isEqualTo("127.0.0.1");
        assertThat(url.getAddress().getHostname()).isEqualTo("h1");
        assertThat(url.getAddress().getPort()).isEqualTo(5051);
        assertThat(url.getPath()).isEqualTo("/slave(1)");
    }

    @ParameterizedTest
    @EnumSource(MediaType.class)
    void heartbeatsArriveEveryInterval(MediaType media) {
        scheduler = new HttpScheduler(master.url(), media).subscribe(Protobufs.framework("fw"));
        await().until(() -> !scheduler.events().isEmpty());

        master.clock.advance(master.config.heartbeatInterval());

        await().until(() -> !scheduler.eventsOf(Event.Type.HEARTBEAT).isEmpty());
        assertThat(scheduler.events().getFirst().getSubscribed().getHeartbeatIntervalSeconds()).isEqualTo(15.0);
    }

    @ParameterizedTest
    @EnumSource(MediaType.class)
    void aFrameworkWhoseConnectionDropsFailsOverWithinItsTimeout(MediaType media) {
        Protos.FrameworkInfo info = Protobufs.withFailover(Protobufs.framework("fw"), 3600);
        scheduler = new HttpScheduler(master.url(), media).subscribe(info);
        await().until(() -> !scheduler.offers().isEmpty());
        Protos.FrameworkID fw = scheduler.frameworkId();
        Protos.Offer offer = scheduler.offers().getFirst();
        scheduler.call(Protobufs.launch(fw, offer.getId(), task("t1", offer.getAgentId(), "cpus:1")));
        await().until(() -> !agent.eventsOf(AgentEvent.Launch.class).isEmpty());

        scheduler.close();
        // The master notices a dead connection when it next writes to it: a heartbeat.
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            master.clock.advance(master.config.heartbeatInterval());
            return !master.frameworks().getFrameworks(0).getConnected();
        });

        scheduler = new HttpScheduler(master.url(), media).subscribe(info.toBuilder().setId(fw).build());
        await().until(() -> !scheduler.events().isEmpty());
        assertThat(scheduler.frameworkId()).isEqualTo(fw);
        Protos.TaskStatus running = Protobufs.status("t1", offer.getAgentId(), TaskState.TASK_RUNNING);
        agent.update(fw, running);
        await().until(() -> !scheduler.updates().isEmpty());
        assertThat(scheduler.updates().getFirst()).isEqualTo(running);
        assertThat(master.tasks().getTasksCount()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(MediaType.class)
    void teardownEndsTheStreamAndShutsTheFrameworkDownOnAgents(MediaType media) {
        scheduler = new HttpScheduler(master.url(), media).subscribe(Protobufs.framework("fw"));
        await().until(() -> !scheduler.events().isEmpty());

        HttpResponse<String> teardown = scheduler.call(Protobufs.simple(scheduler.frameworkId(),
                Call.Type.TEARDOWN));

        assertThat(teardown.statusCode()).isEqualTo(202);
        await().until(scheduler::streamEnded);
        await().until(() -> !agent.eventsOf(AgentEvent.ShutdownFramework.class).isEmpty());
        assertThat(master.frameworks().getFrameworksCount()).isZero();
        assertThat(master.frameworks().getCompletedFrameworksCount()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(MediaType.class)
    void aSecondSubscriptionReplacesTheFirstStream(MediaType media) {
        scheduler = new HttpScheduler(master.url(), media).subscribe(Protobufs.framework("fw"));
        await().until(() -> !scheduler.events().isEmpty());
        Protos.FrameworkInfo again = Protobufs.framework("fw").toBuilder().setId(scheduler.frameworkId()).build();

        try (HttpScheduler second = new HttpScheduler(master.url(), media).subscribe(again)) {
            await().until(scheduler::streamEnded);
            assertThat(scheduler.eventsOf(Event.Type.ERROR)).singleElement()
                    .satisfies(e -> assertThat(e.getError().getMessage()).contains("failed over"));
            HttpResponse<String> stale = scheduler.call(Protobufs.simple(scheduler.frameworkId(),
                    Call.Type.REVIVE));
            assertThat(stale.statusCode()).isEqualTo(403);
            assertThat(second.call(Protobufs.simple(scheduler.frameworkId(),
                    Call.Type.REVIVE)).statusCode()).isEqualTo(202);
        }
    }

    static String body(HttpResponse<String> response) {
        return new String(response.body().getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
    }
}
