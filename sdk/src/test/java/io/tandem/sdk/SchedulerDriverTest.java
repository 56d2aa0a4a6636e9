package io.tandem.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.tandem.api.MediaType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.OfferID;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SchedulerDriverTest {
    private static final FrameworkInfo FRAMEWORK = FrameworkInfo.newBuilder().setUser("alice").setName("test").build();

    private final List<AutoCloseable> cleanup = new ArrayList<>();
    private final RecordingScheduler scheduler = new RecordingScheduler();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : cleanup.reversed()) {
            c.close();
        }
    }

    private FakeMaster master() throws Exception {
        FakeMaster master = new FakeMaster();
        cleanup.add(master);
        return master;
    }

    private SchedulerDriver.Builder driverFor(String... urls) {
        return SchedulerDriver.builder().masters(List.of(urls)).frameworkInfo(FRAMEWORK).scheduler(scheduler)
                .backoff(Duration.ofMillis(10), Duration.ofMillis(50)).callTimeout(Duration.ofSeconds(5))
                .random(RandomGenerator.of("L64X128MixRandom"));
    }

    private SchedulerDriver started(SchedulerDriver.Builder builder) {
        SchedulerDriver driver = builder.build();
        cleanup.add(() -> driver.stop(true));
        driver.start();
        await().atMost(10, TimeUnit.SECONDS).until(() -> scheduler.events.contains("subscribed fw-1"));
        return driver;
    }

    private static Event offers(String... ids) {
        Event.Offers.Builder offers = Event.Offers.newBuilder();
        for (String id : ids) {
            offers.addOffers(Offer.newBuilder().setId(OfferID.newBuilder().setValue(id))
                    .setFrameworkId(FrameworkID.newBuilder().setValue("fw-1"))
                    .setAgentId(AgentID.newBuilder().setValue("a-1")).setHostname("host-1"));
        }
        return Event.newBuilder().setType(Event.Type.OFFERS).setOffers(offers).build();
    }

    private static Event update(String taskId, TaskState state, ByteString uuid) {
        TaskStatus.Builder status = TaskStatus.newBuilder().setTaskId(TaskID.newBuilder().setValue(taskId))
                .setState(state).setAgentId(AgentID.newBuilder().setValue("a-1"));
        if (uuid != null) {
            status.setUuid(uuid);
        }
        return Event.newBuilder().setType(Event.Type.UPDATE).setUpdate(Event.Update.newBuilder().setStatus(status))
                .build();
    }

    @Test
    void subscribesAndDeliversOffersInOrderOnOneCallbackThread() throws Exception {
        FakeMaster master = master();
        started(driverFor(master.url()));

        master.send(offers("o-1"));
        master.send(offers("o-2", "o-3"));
        master.send(offers("o-4"));

        await().atMost(10, TimeUnit.SECONDS).until(() -> scheduler.events.size() == 4);
        assertThat(scheduler.events).containsExactly("subscribed fw-1", "offers o-1", "offers o-2,o-3", "offers o-4");
        assertThat(scheduler.threads).containsOnly("tandem-scheduler-callbacks");
        Call subscribe = master.subscriptions().getFirst().call();
        assertThat(subscribe.getSubscribe().getFrameworkInfo().getName()).isEqualTo("test");
        assertThat(subscribe.hasFrameworkId()).isFalse();
    }

    @Test
    void deliversEventsThatLackFieldsMesosMarksRequired() throws Exception {
        FakeMaster master = master();
        started(driverFor(master.url()));
        Offer noHostname = Offer.newBuilder().setId(OfferID.newBuilder().setValue("o-1")).buildPartial();

        master.send(Event.newBuilder().setType(Event.Type.OFFERS)
                .setOffers(Event.Offers.newBuilder().addOffers(noHostname).buildPartial()).buildPartial());

        await().atMost(10, TimeUnit.SECONDS).until(() -> scheduler.events.contains("offers o-1"));
    }

    @Test
    void callsCarryTheStreamIdAndFrameworkId() throws Exception {
        FakeMaster master = master();
        SchedulerDriver driver = started(driverFor(master.url()));
        TaskInfo task = TaskInfo.newBuilder().setName("t").setTaskId(TaskID.newBuilder().setValue("t-1"))
                .setAgentId(AgentID.newBuilder().setValue("a-1")).setCommand(CommandInfo.newBuilder().setValue("true"))
                .build();

        driver.launch(OfferID.newBuilder().setValue("o-1").build(), List.of(task)).get(5, TimeUnit.SECONDS);

        FakeMaster.ReceivedCall accept = master.calls().getFirst();
        assertThat(accept.streamId()).isEqualTo(master.streamId());
        assertThat(accept.call().getType()).isEqualTo(Call.Type.ACCEPT);
        assertThat(accept.call().getFrameworkId().getValue()).isEqualTo("fw-1");
        assertThat(accept.call().getAccept().getOfferIds(0).getValue()).isEqualTo("o-1");
        assertThat(accept.call().getAccept().getOperations(0).getLaunch().getTaskInfos(0)).isEqualTo(task);
        assertThat(driver.frameworkId()).contains(FrameworkID.newBuilder().setValue("fw-1").build());
    }

    @Test
    void aRejectedCallFailsItsFutureWithTheMastersText() throws Exception {
        FakeMaster master = master();
        master.refuse(Call.Type.DECLINE, 400, "Offer o-9 is no longer valid");
        SchedulerDriver driver = started(driverFor(master.url()));

        var declined = driver.decline(List.of(OfferID.newBuilder().setValue("o-9").build()), null);

        assertThatThrownBy(() -> declined.get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(CallRejectedException.class)
                .hasMessage("DECLINE rejected with 400 Bad Request: Offer o-9 is no longer valid");
    }

    @Test
    void resubscribesWithTheSameFrameworkIdAfterTheMasterDropsTheStream() throws Exception {
        FakeMaster master = master();
        SchedulerDriver driver = started(driverFor(master.url()));

        master.dropStream();

        await().atMost(10, TimeUnit.SECONDS).until(() -> scheduler.count("subscribed") == 2);
        assertThat(scheduler.events).containsExactly("subscribed fw-1", "disconnected", "subscribed fw-1");
        Call again = master.subscriptions().get(1).call();
        assertThat(again.getFrameworkId().getValue()).isEqualTo("fw-1");
        assertThat(again.getSubscribe().getFrameworkInfo().getId().getValue()).isEqualTo("fw-1");
        await().atMost(10, TimeUnit.SECONDS).until(driver::isSubscribed);
        driver.revive(Set.of()).get(5, TimeUnit.SECONDS);
        assertThat(master.calls().getLast().streamId()).isEqualTo(master.streamId());
    }

    @Test
    void resubscribesWhenHeartbeatsStop() throws Exception {
        FakeMaster master = master();
        master.heartbeatInterval(0.05);   // silent for 5 x 50 ms means dead
        started(driverFor(master.url()));

        await().atMost(10, TimeUnit.SECONDS).until(() -> master.subscriptions().size() >= 2);
        await().atMost(10, TimeUnit.SECONDS).until(() -> scheduler.events.contains("disconnected"));
        assertThat(master.subscriptions().get(1).call().getFrameworkId().getValue()).isEqualTo("fw-1");
    }

    @Test
    void followsARedirectToTheLeadingMaster() throws Exception {
        FakeMaster leader = master();
        FakeMaster standby = master();
        standby.refuseSubscribe(307, Map.of("Location", "//127.0.0.1:" + leader.port()), "");
        SchedulerDriver driver = started(driverFor(standby.url()));

        driver.suppress(Set.of("web")).get(5, TimeUnit.SECONDS);

        assertThat(leader.subscriptions()).hasSize(1);
        assertThat(leader.calls(Call.Type.SUPPRESS)).singleElement()
                .satisfies(c -> assertThat(c.getSuppress().getRolesList()).containsExactly("web"));
        assertThat(standby.calls()).isEmpty();
    }

    @Test
    void triesTheNextMasterWhileOneHasNoLeader() throws Exception {
        FakeMaster electing = master();
        FakeMaster leader = master();
        electing.refuseSubscribe(503, Map.of(), "No leader elected");

        started(driverFor(electing.url(), leader.url()));

        assertThat(electing.subscriptions()).hasSize(1);
        assertThat(leader.subscriptions()).hasSize(1);
    }

    @Test
    void acknowledgesUpdatesThatHaveAUuidAfterTheCallback() throws Exception {
        FakeMaster master = master();
        started(driverFor(master.url()));
        ByteString uuid = ByteString.copyFromUtf8("0123456789abcdef");

        master.send(update("t-1", TaskState.TASK_RUNNING, null));
        master.send(update("t-1", TaskState.TASK_FINISHED, uuid));

        await().atMost(10, TimeUnit.SECONDS).until(() -> !master.calls(Call.Type.ACKNOWLEDGE).isEmpty());
        assertThat(scheduler.events).contains("update t-1 TASK_RUNNING", "update t-1 TASK_FINISHED");
        assertThat(master.calls(Call.Type.ACKNOWLEDGE)).singleElement().satisfies(ack -> {
            assertThat(ack.getAcknowledge().getUuid()).isEqualTo(uuid);
            assertThat(ack.getAcknowledge().getTaskId().getValue()).isEqualTo("t-1");
            assertThat(ack.getAcknowledge().getAgentId().getValue()).isEqualTo("a-1");
        });
    }

    @Test
    void doesNotAcknowledgeWhenAutoAcknowledgementIsOff() throws Exception {
        FakeMaster master = master();
        started(driverFor(master.url()).autoAcknowledge(false));

        master.send(update("t-1", TaskState.TASK_FINISHED, ByteString.copyFromUtf8("u")));
        master.send(offers("o-1"));

        await().atMost(10, TimeUnit.SECONDS).until(() -> scheduler.events.contains("offers o-1"));
        assertThat(master.calls(Call.Type.ACKNOWLEDGE)).isEmpty();
    }

    @Test
    void stopWithoutFailoverTearsTheFrameworkDown() throws Exception {
        FakeMaster master = master();
        SchedulerDriver driver = started(driverFor(master.url()));

        driver.stop(false);

        assertThat(master.calls(Call.Type.TEARDOWN)).hasSize(1);
        assertThat(master.subscriptions()).hasSize(1);
        assertThat(scheduler.events).doesNotContain("disconnected");
        assertThat(driver.isStopped()).isTrue();
        assertThat(driver.whenStopped()).isCompleted();
        assertThatThrownBy(() -> driver.revive(Set.of()).get(5, TimeUnit.SECONDS))
                .cause().isInstanceOf(IllegalStateException.class).hasMessageContaining("stopped");
    }

    @Test
    void stopForFailoverLeavesTheFrameworkRegistered() throws Exception {
        FakeMaster master = master();
        SchedulerDriver driver = started(driverFor(master.url()));

        driver.stop(true);

        await().atMost(10, TimeUnit.SECONDS).until(() -> driver.whenStopped().isDone());
        assertThat(master.calls(Call.Type.TEARDOWN)).isEmpty();
        assertThat(master.subscriptions()).hasSize(1);
    }

    @Test
    void anErrorEventStopsTheDriverAndReachesTheScheduler() throws Exception {
        FakeMaster master = master();
        SchedulerDriver driver = started(driverFor(master.url()));

        master.send(Event.newBuilder().setType(Event.Type.ERROR)
                .setError(Event.Error.newBuilder().setMessage("Framework has been removed")).build());

        driver.whenStopped().get(10, TimeUnit.SECONDS);
        await().atMost(10, TimeUnit.SECONDS).until(() -> scheduler.events.contains("error Framework has been removed"));
        assertThat(master.subscriptions()).hasSize(1);
    }

    @Test
    void aRefusedSubscriptionReportsTheMastersText() throws Exception {
        FakeMaster master = master();
        master.refuseSubscribe(400, Map.of(), "Role 'x y' is invalid");
        SchedulerDriver driver = driverFor(master.url()).build();
        cleanup.add(() -> driver.stop(true));

        driver.start();

        driver.whenStopped().get(10, TimeUnit.SECONDS);
        await().atMost(10, TimeUnit.SECONDS).until(() -> !scheduler.events.isEmpty());
        assertThat(scheduler.events).containsExactly("error SUBSCRIBE rejected with 400 Bad Request: Role 'x y' is invalid");
    }

    @Test
    void speaksJsonWhenAsked() throws Exception {
        FakeMaster master = master();
        SchedulerDriver driver = started(driverFor(master.url()).contentType(MediaType.JSON));

        master.send(offers("o-1"));
        driver.reconcile(List.of()).get(5, TimeUnit.SECONDS);

        await().atMost(10, TimeUnit.SECONDS).until(() -> scheduler.events.contains("offers o-1"));
        assertThat(master.subscriptions().getFirst().contentType()).isEqualTo("application/json");
        assertThat(master.calls().getFirst().contentType()).isEqualTo("application/json");
    }

    @Test
    void callsBeforeSubscribingFailAtOnce() {
        SchedulerDriver driver = driverFor("http://127.0.0.1:9").build();

        assertThatThrownBy(() -> driver.teardown().get(5, TimeUnit.SECONDS))
                .cause().isInstanceOf(IllegalStateException.class).hasMessage("TEARDOWN not sent: the driver is not subscribed");
    }

    @Test
    void retriesAnUnreachableMasterUntilItIsStopped() throws Exception {
        SchedulerDriver driver = driverFor("http://127.0.0.1:9").build();
        cleanup.add(() -> driver.stop(true));
        driver.start();

        driver.stop(true);

        driver.whenStopped().get(10, TimeUnit.SECONDS);
        assertThat(scheduler.events).isEmpty();
    }
}
