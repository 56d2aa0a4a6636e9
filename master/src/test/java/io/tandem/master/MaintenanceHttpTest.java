package io.tandem.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tandem.api.MediaType;
import io.tandem.api.agent.AgentEvent;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.allocator.Protos.InverseOfferStatus;
import org.apache.mesos.v1.maintenance.Protos.ClusterStatus;
import org.apache.mesos.v1.master.Protos.Response;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Maintenance over real HTTP: the operator schedules the machine of a (fake) agent running a task, the
 * framework gets an inverse offer and accepts it, the operator sees the answer and brings the machine down.
 */
class MaintenanceHttpTest {
    private static final Protos.MachineID MACHINE =
            Protos.MachineID.newBuilder().setHostname("h1").setIp("127.0.0.1").build();

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
        scheduler = new HttpScheduler(master.url(), MediaType.JSON).subscribe(Protobufs.framework("fw"));
        await().until(() -> !scheduler.offers().isEmpty());
        scheduler.call(Protobufs.launch(scheduler.frameworkId(), scheduler.offers().getFirst().getId(),
                Protobufs.task("t1", agent.agentId(), "cpus:1;mem:128")));
        await().until(() -> !agent.eventsOf(AgentEvent.Launch.class).isEmpty());
        agent.update(scheduler.frameworkId(), Protobufs.status("t1", agent.agentId(), Protos.TaskState.TASK_RUNNING));
        await().until(() -> scheduler.updates().stream().anyMatch(s -> s.getState() == Protos.TaskState.TASK_RUNNING));
    }

    @AfterEach
    void stop() {
        scheduler.close();
        agent.close();
        master.close();
    }

    private HttpResponse<byte[]> operator(org.apache.mesos.v1.master.Protos.Call call) {
        return master.operatorRaw(MediaType.JSON.encode(call), MediaType.JSON);
    }

    private ClusterStatus status() {
        return master.operator(org.apache.mesos.v1.master.Protos.Call.Type.GET_MAINTENANCE_STATUS, MediaType.JSON)
                .getGetMaintenanceStatus().getStatus();
    }

    private List<Protos.InverseOffer> inverseOffers() {
        return scheduler.eventsOf(Event.Type.INVERSE_OFFERS).stream()
                .flatMap(e -> e.getInverseOffers().getInverseOffersList().stream()).toList();
    }

    @Test
    void frameworkAcceptsAnInverseOfferAndTheOperatorBringsTheMachineDown() {
        HttpResponse<byte[]> scheduled = operator(MaintenanceCallsTest.schedule(Instant.parse("2030-01-01T00:00:00Z"), MACHINE));
        assertThat(scheduled.statusCode()).isEqualTo(200);

        await().until(() -> !inverseOffers().isEmpty());
        Protos.InverseOffer inverse = inverseOffers().getFirst();
        assertThat(inverse.getAgentId()).isEqualTo(agent.agentId());
        master.clock.advance(Duration.ofSeconds(6));   // past the filter on what the launch left over
        await().until(() -> scheduler.offers().stream().anyMatch(Protos.Offer::hasUnavailability));
        HttpResponse<String> accepted = scheduler.call(Call.newBuilder().setFrameworkId(scheduler.frameworkId())
                .setType(Call.Type.ACCEPT_INVERSE_OFFERS).setAcceptInverseOffers(Call.AcceptInverseOffers.newBuilder()
                        .addInverseOfferIds(inverse.getId())).build());
        assertThat(accepted.statusCode()).isEqualTo(202);
        await().until(() -> status().getDrainingMachinesList().stream().flatMap(m -> m.getStatusesList().stream())
                .anyMatch(s -> s.getStatus() == InverseOfferStatus.Status.ACCEPT));
        assertThat(status().getDrainingMachines(0).getId()).isEqualTo(MACHINE);

        HttpResponse<byte[]> down = operator(MaintenanceCallsTest.startMaintenance(MACHINE));

        assertThat(down.statusCode()).isEqualTo(200);
        await().until(() -> scheduler.updates().stream().anyMatch(s -> s.getState() == Protos.TaskState.TASK_LOST));
        await().until(() -> !agent.eventsOf(AgentEvent.ShutdownFramework.class).isEmpty());
        assertThat(status().getDownMachinesList()).containsExactly(MACHINE);
        Response.GetAgents agents = master.operator(org.apache.mesos.v1.master.Protos.Call.Type.GET_AGENTS,
                MediaType.JSON).getGetAgents();
        assertThat(agents.getAgentsList()).isEmpty();
        try (FakeAgent again = new FakeAgent(master.url()).subscribe(Protobufs.agentInfo("h1", "cpus:4;mem:1024"))) {
            await().until(again::streamEnded);
            assertThat(again.subscribed()).isFalse();
        }
    }

    @Test
    void startOfAMachineNotScheduledIsA400NamingIt() {
        HttpResponse<byte[]> refused = operator(MaintenanceCallsTest.startMaintenance(MACHINE));

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(new String(refused.body(), StandardCharsets.UTF_8))
                .contains("Machine 'h1' (127.0.0.1) is UP, not in DRAINING mode");
        assertThat(status().getDownMachinesList()).isEmpty();
    }
}
