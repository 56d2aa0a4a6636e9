package io.tandem.master;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.api.agent.AgentCall;
import io.tandem.api.agent.AgentEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.allocator.Protos.InverseOfferStatus;
import org.apache.mesos.v1.maintenance.Protos.ClusterStatus;
import org.apache.mesos.v1.maintenance.Protos.Schedule;
import org.apache.mesos.v1.master.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Maintenance through the master loop: schedule, inverse offers and their answers, DOWN and UP again. */
class MaintenanceCallsTest {
    static final Instant START = Instant.parse("2030-01-01T00:00:00Z");

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

    static Protos.MachineID machine(String hostname, String ip) {
        return Protos.MachineID.newBuilder().setHostname(hostname).setIp(ip).build();
    }

    static Protos.MachineID h1() {
        return machine("h1", LoopDriver.AGENT_IP);
    }

    static Call schedule(Instant start, Protos.MachineID... machines) {
        Schedule.Builder schedule = Schedule.newBuilder();
        schedule.addWindowsBuilder().addAllMachineIds(List.of(machines)).setUnavailability(Protos.Unavailability.newBuilder()
                .setStart(Protos.TimeInfo.newBuilder().setNanoseconds(start.getEpochSecond() * 1_000_000_000L))
                .setDuration(Protos.DurationInfo.newBuilder().setNanoseconds(3_600_000_000_000L)));
        return Call.newBuilder().setType(Call.Type.UPDATE_MAINTENANCE_SCHEDULE)
                .setUpdateMaintenanceSchedule(Call.UpdateMaintenanceSchedule.newBuilder().setSchedule(schedule)).build();
    }

    static Call startMaintenance(Protos.MachineID... machines) {
        return Call.newBuilder().setType(Call.Type.START_MAINTENANCE)
                .setStartMaintenance(Call.StartMaintenance.newBuilder().addAllMachines(List.of(machines))).build();
    }

    static Call stopMaintenance(Protos.MachineID... machines) {
        return Call.newBuilder().setType(Call.Type.STOP_MAINTENANCE)
                .setStopMaintenance(Call.StopMaintenance.newBuilder().addAllMachines(List.of(machines))).build();
    }

    private ClusterStatus status() {
        return MaintenanceResponses.getStatus(master.snapshot()).getGetMaintenanceStatus().getStatus();
    }

    private Schedule currentSchedule() {
        return MaintenanceResponses.getSchedule(master.snapshot()).getGetMaintenanceSchedule().getSchedule();
    }

    /** A framework with one task running on agent h1. */
    private LoopDriver.Scheduler runningTaskOn(LoopDriver.AgentStream agent) {
        LoopDriver.Scheduler fw = master.subscribe(Protobufs.framework("fw"));
        master.call(fw, Protobufs.launch(fw.id(), fw.lastOffer().getId(), Protobufs.task("t1", agent.id(), "cpus:1;mem:128")));
        master.update(agent, fw.id(), Protobufs.status("t1", agent.id(), Protos.TaskState.TASK_RUNNING));
        return fw;
    }

    private static List<Protos.InverseOffer> inverseOffers(LoopDriver.Scheduler fw) {
        return fw.eventsOf(Event.Type.INVERSE_OFFERS).stream()
                .flatMap(e -> e.getInverseOffers().getInverseOffersList().stream()).toList();
    }

    /** Moves the clock 5 s at a time, the agent reporting each time, so that it stays reachable. */
    private void advanceReporting(LoopDriver.AgentStream agent, Duration by) {
        for (Duration left = by; left.isPositive(); left = left.minusSeconds(5)) {
            master.send(agent, new AgentCall.Report(List.of(), List.of()));
            master.advance(left.compareTo(Duration.ofSeconds(5)) < 0 ? left : Duration.ofSeconds(5));
        }
    }

    @Test
    void scheduledAgentsOffersAreMadeAgainCarryingTheUnavailability() {
        LoopDriver.Scheduler fw = master.subscribe(Protobufs.framework("fw"));
        master.agent("h1", "cpus:4;mem:1024");
        Protos.OfferID before = fw.lastOffer().getId();

        CallResult result = master.operator(schedule(START, h1()));

        assertThat(result.status()).isEqualTo(CallResult.OK);
        assertThat(fw.eventsOf(Event.Type.RESCIND)).extracting(e -> e.getRescind().getOfferId()).containsExactly(before);
        assertThat(fw.lastOffer().getUnavailability().getStart().getNanoseconds())
                .isEqualTo(START.getEpochSecond() * 1_000_000_000L);
        assertThat(currentSchedule().getWindows(0).getMachineIdsList()).containsExactly(h1());
        assertThat(status().getDrainingMachinesList()).extracting(ClusterStatus.DrainingMachine::getId)
                .containsExactly(h1());
    }

    @Test
    void refusedCallsNameTheMachineAndChangeNothing() {
        master.operator(schedule(START, h1()));

        CallResult twice = master.operator(schedule(START, h1(), machine("h2", ""), machine("H1", LoopDriver.AGENT_IP)));
        CallResult startUnscheduled = master.operator(startMaintenance(machine("h2", "")));
        CallResult stopDraining = master.operator(stopMaintenance(h1()));
        CallResult badIp = master.operator(startMaintenance(machine("h1", "not-an-ip")));
        CallResult empty = master.operator(startMaintenance(Protos.MachineID.getDefaultInstance()));
        CallResult noSchedule = master.operator(Call.newBuilder().setType(Call.Type.UPDATE_MAINTENANCE_SCHEDULE).build());

        assertThat(twice.status()).isEqualTo(CallResult.BAD_REQUEST);
        assertThat(twice.message()).contains("Machine 'h1' (192.0.2.7) appears more than once in the schedule");
        assertThat(startUnscheduled.message()).contains("START_MAINTENANCE", "Machine 'h2' is UP, not in DRAINING mode");
        assertThat(stopDraining.message()).contains("Machine 'h1' (192.0.2.7) is DRAINING, not in DOWN mode");
        assertThat(badIp.message()).contains("machine #1", "invalid IPv4 address 'not-an-ip'");
        assertThat(empty.message()).contains("Both 'hostname' and 'ip' for a machine are empty");
        assertThat(noSchedule.message()).contains("expecting 'update_maintenance_schedule' to be present");
        assertThat(currentSchedule().getWindowsList()).singleElement()
                .satisfies(w -> assertThat(w.getMachineIdsList()).containsExactly(h1()));
        assertThat(status().getDownMachinesList()).isEmpty();
    }

    @Test
    void frameworkRunningOnADrainingAgentGetsAnInverseOfferAndItsAnswerShowsInTheStatus() {
        LoopDriver.AgentStream agent = master.agent("h1", "cpus:4;mem:1024");
        LoopDriver.Scheduler fw = runningTaskOn(agent);

        master.operator(schedule(START, h1()));

        assertThat(inverseOffers(fw)).singleElement().satisfies(offer -> {
            assertThat(offer.getAgentId()).isEqualTo(agent.id());
            assertThat(offer.getFrameworkId()).isEqualTo(fw.id());
            assertThat(offer.getUnavailability().getDuration().getNanoseconds()).isEqualTo(3_600_000_000_000L);
        });
        assertThat(status().getDrainingMachines(0).getStatusesList()).extracting(InverseOfferStatus::getStatus)
                .containsExactly(InverseOfferStatus.Status.UNKNOWN);

        master.call(fw, org.apache.mesos.v1.scheduler.Protos.Call.newBuilder().setFrameworkId(fw.id())
                .setType(org.apache.mesos.v1.scheduler.Protos.Call.Type.DECLINE_INVERSE_OFFERS)
                .setDeclineInverseOffers(org.apache.mesos.v1.scheduler.Protos.Call.DeclineInverseOffers.newBuilder()
                        .addInverseOfferIds(inverseOffers(fw).getFirst().getId())
                        .setFilters(Protos.Filters.newBuilder().setRefuseSeconds(30)))
                .build());

        assertThat(status().getDrainingMachines(0).getStatusesList()).singleElement().satisfies(s -> {
            assertThat(s.getStatus()).isEqualTo(InverseOfferStatus.Status.DECLINE);
            assertThat(s.getFrameworkId()).isEqualTo(fw.id());
        });
        advanceReporting(agent, Duration.ofSeconds(10));
        assertThat(inverseOffers(fw)).hasSize(1);   // the filter holds for 30 s
        advanceReporting(agent, Duration.ofSeconds(25));
        assertThat(inverseOffers(fw)).hasSize(2);
    }

    @Test
    void answersOfAFrameworkTornDownLeaveTheStatus() {
        LoopDriver.AgentStream agent = master.agent("h1", "cpus:4;mem:1024");
        LoopDriver.Scheduler fw = runningTaskOn(agent);
        master.operator(schedule(START, h1()));
        assertThat(status().getDrainingMachines(0).getStatusesCount()).isEqualTo(1);

        master.call(fw, Protobufs.simple(fw.id(), org.apache.mesos.v1.scheduler.Protos.Call.Type.TEARDOWN));
        master.advance(Duration.ofSeconds(2));   // the next allocation run

        assertThat(status().getDrainingMachinesList()).singleElement()
                .satisfies(m -> assertThat(m.getStatusesList()).isEmpty());
    }

    @Test
    void startMaintenanceRemovesTheAgentEndsItsTasksAndRefusesItUntilStop() {
        LoopDriver.AgentStream agent = master.agent("h1", "cpus:4;mem:1024");
        LoopDriver.Scheduler fw = runningTaskOn(agent);
        master.operator(schedule(START, h1()));
        Protos.OfferID inverse = inverseOffers(fw).getFirst().getId();

        CallResult result = master.operator(startMaintenance(h1()));

        assertThat(result.status()).isEqualTo(CallResult.OK);
        assertThat(fw.lastUpdate().getState()).isEqualTo(Protos.TaskState.TASK_LOST);
        assertThat(fw.lastUpdate().getReason()).isEqualTo(Protos.TaskStatus.Reason.REASON_AGENT_REMOVED);
        assertThat(fw.lastUpdate().getMessage()).contains("Operator initiated 'Machine DOWN'");
        assertThat(fw.eventsOf(Event.Type.FAILURE)).extracting(e -> e.getFailure().getAgentId()).contains(agent.id());
        assertThat(fw.eventsOf(Event.Type.RESCIND_INVERSE_OFFER))
                .extracting(e -> e.getRescindInverseOffer().getInverseOfferId()).containsExactly(inverse);
        assertThat(agent.eventsOf(AgentEvent.ShutdownFramework.class))
                .extracting(AgentEvent.ShutdownFramework::frameworkId).containsExactly(fw.id());
        assertThat(agent.sink().isClosed()).isTrue();
        assertThat(master.snapshot().agents()).isEmpty();
        assertThat(status().getDownMachinesList()).containsExactly(h1());
        assertThat(status().getDrainingMachinesList()).isEmpty();

        RecordingSink<AgentEvent> refused = new RecordingSink<>();
        var admission = AgentAdmission.of(new AgentCall.Subscribe(Protobufs.agentInfo("h1", "cpus:4;mem:1024")
                .toBuilder().setId(agent.id()).build(), List.of(), List.of(), List.of()), LoopDriver.AGENT_IP);
        assertThat(master.loop.subscribeAgent(admission, refused, "again").join()).isNull();
        assertThat(refused.isClosed()).isTrue();
        assertThat(refused.events()).isEmpty();
        assertThat(master.snapshot().agents()).isEmpty();

        assertThat(master.operator(stopMaintenance(h1())).status()).isEqualTo(CallResult.OK);
        LoopDriver.AgentStream back = master.agent(Protobufs.agentInfo("h1", "cpus:4;mem:1024").toBuilder()
                .setId(agent.id()).build(), List.of(), List.of());
        assertThat(back.sink().isClosed()).isFalse();
        assertThat(master.snapshot().agents()).hasSize(1);
        assertThat(currentSchedule().getWindowsList()).isEmpty();
        assertThat(status().getDownMachinesList()).isEmpty();
    }
}
