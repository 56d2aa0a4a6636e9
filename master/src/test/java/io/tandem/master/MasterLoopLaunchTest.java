package io.tandem.master;

import static io.tandem.master.Protobufs.task;
import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.api.ResourceMapping;
import io.tandem.api.agent.AgentEvent;
import io.tandem.model.Resources;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The loop end to end without HTTP: subscribe, offer, launch, update, acknowledge, and their filters. */
class MasterLoopLaunchTest {
    @TempDir
    Path dir;
    LoopDriver master;

    @BeforeEach
    void start() {
        master = new LoopDriver(LoopDriver.config(dir));
    }

    @AfterEach
    void stop() {
        master.close();
    }

    private static Resources resources(Protos.Offer offer) {
        return ResourceMapping.fromMesos(offer.getResourcesList());
    }

    @Test
    void subscribedIsTheFirstEventAndCarriesTheHeartbeatInterval() {
        LoopDriver.Scheduler fw = master.subscribe(Protobufs.framework("fw"));

        Event first = fw.sink().events().getFirst();
        assertThat(first.getType()).isEqualTo(Event.Type.SUBSCRIBED);
        assertThat(first.getSubscribed().getFrameworkId()).isEqualTo(fw.id());
        assertThat(first.getSubscribed().getHeartbeatIntervalSeconds()).isEqualTo(15.0);
        assertThat(first.getSubscribed().getMasterInfo().getId()).isEqualTo("master-1");
        // Frameworks compare it with the minimum Mesos version they need.
        assertThat(first.getSubscribed().getMasterInfo().getVersion()).isEqualTo("1.11.0");
        assertThat(fw.id().getValue()).isEqualTo("master-1-0000");
    }

    @Test
    void anAgentsResourcesAreOfferedToASubscribedFramework() {
        LoopDriver.Scheduler fw = master.subscribe(Protobufs.framework("fw"));

        LoopDriver.AgentStream agent = master.agent("h1", "cpus:4;mem:1024");

        assertThat(agent.sink().events().getFirst()).isInstanceOfSatisfying(AgentEvent.Subscribed.class,
                s -> assertThat(s.agentId()).isEqualTo(agent.id()));
        assertThat(fw.offers()).singleElement().satisfies(offer -> {
            assertThat(offer.getAgentId()).isEqualTo(agent.id());
            assertThat(offer.getHostname()).isEqualTo("h1");
            assertThat(offer.getFrameworkId()).isEqualTo(fw.id());
            assertThat(resources(offer)).isEqualTo(Resources.parse("cpus:4;mem:1024"));
        });
    }

    @Test
    @SuppressWarnings("deprecation")
    void offersToFrameworksWithoutReservationRefinementUseThePreRefinementFormatAsMesosDoes() {
        LoopDriver.Scheduler fw = master.subscribe(Protobufs.framework("fw").toBuilder().setRole("prod").build());

        master.agent("h1", "cpus:4;mem:1024;cpus(prod):2");

        // Mesos sets allocation_info for every framework, MULTI_ROLE or not.
        assertThat(fw.lastOffer().getAllocationInfo().getRole()).isEqualTo("prod");
        assertThat(fw.lastOffer().getResourcesList()).allSatisfy(r -> {
            assertThat(r.getAllocationInfo().getRole()).isEqualTo("prod");
            assertThat(r.getReservationsCount()).isZero();
        });
        assertThat(fw.lastOffer().getResourcesList()).extracting(Protos.Resource::getName, Protos.Resource::getRole)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("cpus", "*"),
                        org.assertj.core.groups.Tuple.tuple("cpus", "prod"),
                        org.assertj.core.groups.Tuple.tuple("mem", "*"));
    }

    @Test
    @SuppressWarnings("deprecation")
    void offersToFrameworksWithReservationRefinementCarryReservations() {
        LoopDriver.Scheduler fw = master.subscribe(Protobufs.framework("fw").toBuilder().setRole("prod")
                .addCapabilities(Protos.FrameworkInfo.Capability.newBuilder()
                        .setType(Protos.FrameworkInfo.Capability.Type.RESERVATION_REFINEMENT)).build());

        master.agent("h1", "cpus:4;cpus(prod):2");

        assertThat(fw.lastOffer().getResourcesList()).allSatisfy(r -> assertThat(r.hasRole()).isFalse());
        assertThat(fw.lastOffer().getResourcesList()).filteredOn(r -> r.getReservationsCount() > 0).singleElement()
                .satisfies(r -> assertThat(r.getReservations(0).getRole()).isEqualTo("prod"));
    }

    @Test
    void multiRoleFrameworksGetAllocationInfoInTheirOffers() {
        Protos.FrameworkInfo info = Protobufs.framework("fw").toBuilder().addRoles("prod")
                .addCapabilities(Protos.FrameworkInfo.Capability.newBuilder()
                        .setType(Protos.FrameworkInfo.Capability.Type.MULTI_ROLE)).build();
        LoopDriver.Scheduler fw = master.subscribe(info);

        master.agent("h1", "cpus:4;mem:1024");

        assertThat(fw.lastOffer().getAllocationInfo().getRole()).isEqualTo("prod");
        assertThat(fw.lastOffer().getResourcesList()).allMatch(r -> r.getAllocationInfo().getRole().equals("prod"));
    }

    @Test
    void acceptedTasksAreLaunchedOnTheAgentAndTheirUpdatesReachTheFrameworkUntilAcknowledged() {
        LoopDriver.Scheduler fw = master.subscribe(Protobufs.framework("fw"));
        LoopDriver.AgentStream agent = master.agent("h1", "cpus:4;mem:1024");

        CallResult accepted = master.call(fw, Protobufs.launch(fw.id(), fw.lastOffer().getId(),
                task("t1", agent.id(), "cpus:1;mem:128")));

        assertThat(accepted.isAccepted()).isTrue();
        assertThat(agent.eventsOf(AgentEvent.Launch.class)).singleElement().satisfies(launch -> {
            assertThat(launch.task().getTaskId().getValue()).isEqualTo("t1");
            assertThat(launch.framework().getId()).isEqualTo(fw.id());
        });
        assertThat(master.snapshot().tasks()).singleElement()
                .satisfies(t -> assertThat(t.state()).isEqualTo(io.tandem.model.TaskState.TASK_STAGING));

        Protos.TaskStatus running = Protobufs.status("t1", agent.id(), TaskState.TASK_RUNNING);
        master.update(agent, fw.id(), running);
        assertThat(fw.lastUpdate()).isEqualTo(running);

        master.call(fw, Protobufs.acknowledge(fw.id(), running));
        assertThat(agent.eventsOf(AgentEvent.Acknowledge.class)).singleElement()
                .satisfies(ack -> assertThat(ack.uuid()).isEqualTo(running.getUuid()));
    }

    @Test
    void whatAnAcceptLeavesUnusedIsFilteredForFiveSecondsByDefault() {
        LoopDriver.Scheduler fw = master.subscribe(Protobufs.framework("fw"));
        LoopDriver.AgentStream agent = master.agent("h1", "cpus:4;mem:1024");
        master.call(fw, Protobufs.launch(fw.id(), fw.lastOffer().getId(), task("t1", agent.id(), "cpus:1;mem:128")));
        int offersBefore = fw.offers().size();

        master.advance(Duration.ofSeconds(4));
        assertThat(fw.offers()).hasSize(offersBefore);

        master.advance(Duration.ofSeconds(2));
        assertThat(fw.offers()).hasSize(offersBefore + 1);
        assertThat(resources(fw.lastOffer())).isEqualTo(Resources.parse("cpus:3;mem:896"));
    }

    @Test
    void aTerminalUpdateGivesTheTasksResourcesBackAtOnce() {
        LoopDriver.Scheduler fw = master.subscribe(Protobufs.framework("fw"));
        LoopDriver.AgentStream agent = master.agent("h1", "cpus:4;mem:1024");
        master.call(fw, Protobufs.launch(fw.id(), fw.lastOffer().getId(), task("t1", agent.id(), "cpus:1;mem:128")));
        LoopDriver.Scheduler second = master.subscribe(Protobufs.framework("second"));
        assertThat(resources(second.lastOffer())).isEqualTo(Resources.parse("cpus:3;mem:896"));

        master.update(agent, fw.id(), Protobufs.status("t1", agent.id(), TaskState.TASK_FINISHED));

        assertThat(resources(second.lastOffer())).isEqualTo(Resources.parse("cpus:1;mem:128"));
        assertThat(master.snapshot().agents().getFirst().allocated()).isEqualTo(Resources.parse("cpus:4;mem:1024"));
    }

    @Test
    void anIllegalTransitionIsIgnored() {
        LoopDriver.Scheduler fw = master.subscribe(Protobufs.framework("fw"));
        LoopDriver.AgentStream agent = master.agent("h1", "cpus:4;mem:1024");
        master.call(fw, Protobufs.launch(fw.id(), fw.lastOffer().getId(), task("t1", agent.id(), "cpus:1")));
        master.update(agent, fw.id(), Protobufs.status("t1", agent.id(), TaskState.TASK_FINISHED));
        int updates = fw.updates().size();

        master.update(agent, fw.id(), Protobufs.status("t1", agent.id(), TaskState.TASK_RUNNING));

        assertThat(fw.updates()).hasSize(updates);
        assertThat(master.snapshot().tasks()).singleElement()
                .satisfies(t -> assertThat(t.state()).isEqualTo(io.tandem.model.TaskState.TASK_FINISHED));
    }

    @Test
    void anAcknowledgedTerminalTaskIsForgottenAndItsIdFreeAgain() {
        LoopDriver.Scheduler fw = master.subscribe(Protobufs.framework("fw"));
        LoopDriver.AgentStream agent = master.agent("h1", "cpus:4;mem:1024");
        master.call(fw, Protobufs.launch(fw.id(), fw.lastOffer().getId(), task("t1", agent.id(), "cpus:1")));
        Protos.TaskStatus finished = Protobufs.status("t1", agent.id(), TaskState.TASK_FINISHED);
        master.update(agent, fw.id(), finished);

        master.call(fw, Protobufs.acknowledge(fw.id(), finished));

        ClusterSnapshot snapshot = master.snapshot();
        assertThat(snapshot.tasks()).isEmpty();
        assertThat(snapshot.completedTasks()).singleElement()
                .satisfies(t -> assertThat(t.info().getTaskId().getValue()).isEqualTo("t1"));
    }

    @Test
    void aDeclinedOfferComesBackWhenItsFilterExpires() {
        LoopDriver.Scheduler fw = master.subscribe(Protobufs.framework("fw"));
        master.agent("h1", "cpus:4;mem:1024");

        master.call(fw, Protobufs.decline(fw.id(), fw.lastOffer().getId(), 10));
        master.advance(Duration.ofSeconds(9));
        assertThat(fw.offers()).hasSize(1);

        master.advance(Duration.ofSeconds(2));
        assertThat(fw.offers()).hasSize(2);
    }

    @Test
    void suppressedFrameworksGetNoOffersUntilTheyRevive() {
        LoopDriver.Scheduler fw = master.subscribe(Protobufs.framework("fw"));
        master.agent("h1", "cpus:4;mem:1024");
        master.call(fw, Protobufs.simple(fw.id(), Call.Type.SUPPRESS));

        master.call(fw, Protobufs.decline(fw.id(), fw.lastOffer().getId(), 0));
        master.advance(Duration.ofSeconds(5));
        assertThat(fw.offers()).hasSize(1);

        master.call(fw, Protobufs.simple(fw.id(), Call.Type.REVIVE));
        assertThat(fw.offers()).hasSize(2);
    }

    @Test
    void revivingRolesTheFrameworkDoesNotHaveRevivesNothing() {
        LoopDriver.Scheduler fw = master.subscribe(Protobufs.framework("fw"));
        master.agent("h1", "cpus:4;mem:1024");
        master.call(fw, Protobufs.simple(fw.id(), Call.Type.SUPPRESS));
        master.call(fw, Protobufs.decline(fw.id(), fw.lastOffer().getId(), 0));

        master.call(fw, Protobufs.simple(fw.id(), Call.Type.REVIVE).toBuilder()
                .setRevive(Call.Revive.newBuilder().addRoles("someone-else")).build());
        master.advance(Duration.ofSeconds(5));

        assertThat(fw.offers()).hasSize(1);
    }

    @Test
    void offersHeldPastTheOfferTimeoutAreRescinded() {
        master.close();
        master = new LoopDriver(LoopDriver.config(dir).withOfferTimeout(java.util.Optional.of(Duration.ofSeconds(30)))
                .withAgentTimeouts(Duration.ofSeconds(1), Duration.ofMinutes(5)));
        LoopDriver.Scheduler fw = master.subscribe(Protobufs.framework("fw"));
        master.agent("h1", "cpus:4;mem:1024");
        Protos.OfferID first = fw.lastOffer().getId();

        master.advance(Duration.ofSeconds(29));
        assertThat(fw.eventsOf(Event.Type.RESCIND)).isEmpty();

        master.advance(Duration.ofSeconds(2));
        assertThat(fw.eventsOf(Event.Type.RESCIND)).singleElement()
                .satisfies(e -> assertThat(e.getRescind().getOfferId()).isEqualTo(first));
        assertThat(fw.lastOffer().getId()).isNotEqualTo(first);
        assertThat(master.call(fw, Protobufs.launch(fw.id(), first, task("t1", fw.lastOffer().getAgentId(), "cpus:1")))
                .isAccepted()).isTrue();
        assertThat(fw.lastUpdate().getReason()).isEqualTo(Protos.TaskStatus.Reason.REASON_INVALID_OFFERS);
    }

    @Test
    void invalidTasksAreReportedAsErrorsAndTheOthersStillLaunch() {
        LoopDriver.Scheduler fw = master.subscribe(Protobufs.framework("fw"));
        LoopDriver.AgentStream agent = master.agent("h1", "cpus:4;mem:1024");

        master.call(fw, Protobufs.launch(fw.id(), fw.lastOffer().getId(), task("big", agent.id(), "cpus:5"),
                task("ok", agent.id(), "cpus:1")));

        assertThat(fw.updates()).singleElement().satisfies(s -> {
            assertThat(s.getTaskId().getValue()).isEqualTo("big");
            assertThat(s.getState()).isEqualTo(TaskState.TASK_ERROR);
            assertThat(s.getReason()).isEqualTo(Protos.TaskStatus.Reason.REASON_TASK_INVALID);
            assertThat(s.getSource()).isEqualTo(Protos.TaskStatus.Source.SOURCE_MASTER);
            assertThat(s.hasUuid()).isFalse();
        });
        assertThat(agent.eventsOf(AgentEvent.Launch.class)).extracting(l -> l.task().getTaskId().getValue())
                .containsExactly("ok");
        assertThat(master.snapshot().tasks()).extracting(t -> t.info().getTaskId().getValue()).containsExactly("ok");
    }

    @Test
    void messagesTravelBetweenFrameworkAndExecutor() {
        LoopDriver.Scheduler fw = master.subscribe(Protobufs.framework("fw"));
        LoopDriver.AgentStream agent = master.agent("h1", "cpus:4;mem:1024");
        Protos.ExecutorID executor = Protos.ExecutorID.newBuilder().setValue("e1").build();
        com.google.protobuf.ByteString hello = com.google.protobuf.ByteString.copyFromUtf8("hello");

        master.call(fw, Call.newBuilder().setType(Call.Type.MESSAGE).setFrameworkId(fw.id())
                .setMessage(Call.Message.newBuilder().setAgentId(agent.id()).setExecutorId(executor).setData(hello))
                .build());
        master.send(agent, new io.tandem.api.agent.AgentCall.Message(fw.id(), executor,
                com.google.protobuf.ByteString.copyFromUtf8("back")));

        assertThat(agent.eventsOf(AgentEvent.Message.class)).singleElement()
                .satisfies(m -> assertThat(m.data()).isEqualTo(hello));
        assertThat(fw.eventsOf(Event.Type.MESSAGE)).singleElement().satisfies(e -> {
            assertThat(e.getMessage().getData().toStringUtf8()).isEqualTo("back");
            assertThat(e.getMessage().getAgentId()).isEqualTo(agent.id());
        });
    }

    @Test
    void anExecutorThatExitsIsAFailureEventAndItsResourcesComeBack() {
        LoopDriver.Scheduler fw = master.subscribe(Protobufs.framework("fw"));
        LoopDriver.AgentStream agent = master.agent("h1", "cpus:4;mem:1024");
        Protos.ExecutorID executor = Protos.ExecutorID.newBuilder().setValue("e1").build();
        Protos.TaskInfo task = task("t1", agent.id(), "cpus:1").toBuilder().clearCommand()
                .setExecutor(Protos.ExecutorInfo.newBuilder().setExecutorId(executor)
                        .setCommand(Protos.CommandInfo.newBuilder().setValue("my-executor"))
                        .addAllResources(ResourceMapping.toMesos(Resources.parse("cpus:0.5"), null)))
                .build();
        master.call(fw, Protobufs.launch(fw.id(), fw.lastOffer().getId(), task));
        master.update(agent, fw.id(), Protobufs.status("t1", agent.id(), TaskState.TASK_RUNNING));

        master.send(agent, new io.tandem.api.agent.AgentCall.ExecutorExited(fw.id(), executor, 1 << 8));

        assertThat(fw.eventsOf(Event.Type.FAILURE)).singleElement().satisfies(e -> {
            assertThat(e.getFailure().getExecutorId()).isEqualTo(executor);
            assertThat(e.getFailure().getAgentId()).isEqualTo(agent.id());
            assertThat(e.getFailure().getStatus()).isEqualTo(256);
        });
    }

    @Test
    void frameworksGetAHeartbeatEveryIntervalAndAgentsThreeWithinTheirTimeout() {
        LoopDriver.Scheduler fw = master.subscribe(Protobufs.framework("fw"));
        LoopDriver.AgentStream agent = master.agent("h1", "cpus:4;mem:1024");

        for (int second = 1; second <= 14; second++) {
            master.advance(Duration.ofSeconds(1));
            master.send(agent, new io.tandem.api.agent.AgentCall.Report(List.of()));
        }
        assertThat(fw.eventsOf(Event.Type.HEARTBEAT)).isEmpty();
        assertThat(agent.eventsOf(AgentEvent.Heartbeat.class)).hasSize(2);
        master.advance(Duration.ofSeconds(1));

        assertThat(fw.eventsOf(Event.Type.HEARTBEAT)).hasSize(1);
        assertThat(agent.eventsOf(AgentEvent.Heartbeat.class)).hasSize(3);
    }
}
