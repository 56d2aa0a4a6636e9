package io.tandem.master;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.api.ResourceMapping;
import io.tandem.api.agent.AgentEvent;
import io.tandem.model.Resources;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.Protos.Offer.Operation;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RESERVE and UNRESERVE offer operations: dynamic reservations by a framework, checked before anything changes. */
class OfferReservationsTest {
    @TempDir
    Path dir;
    LoopDriver master;
    LoopDriver.Scheduler fw;
    LoopDriver.AgentStream agent;

    @BeforeEach
    @SuppressWarnings("deprecation")
    void start() {
        master = new LoopDriver(LoopDriver.config(dir));
        fw = master.subscribe(Protobufs.framework("fw").toBuilder().setRole("prod").build());
        agent = master.agent("h1", "cpus:4;mem:1024");
    }

    @AfterEach
    void stop() {
        master.close();
    }

    private static Operation reserve(String resources) {
        return Operation.newBuilder().setType(Operation.Type.RESERVE).setReserve(Operation.Reserve.newBuilder()
                .addAllResources(ResourceMapping.toMesos(Resources.parse(resources), "prod"))).build();
    }

    private static Operation unreserve(String resources) {
        return Operation.newBuilder().setType(Operation.Type.UNRESERVE).setUnreserve(Operation.Unreserve.newBuilder()
                .addAllResources(ResourceMapping.toMesos(Resources.parse(resources), "prod"))).build();
    }

    private Call accept(Protos.Offer offer, Operation... ops) {
        Call.Accept.Builder accept = Call.Accept.newBuilder().addOfferIds(offer.getId())
                .setFilters(Protos.Filters.newBuilder().setRefuseSeconds(0));
        for (Operation op : ops) {
            accept.addOperations(op);
        }
        return Call.newBuilder().setType(Call.Type.ACCEPT).setFrameworkId(fw.id()).setAccept(accept).build();
    }

    private Resources total() {
        return master.allocator.total(MesosIds.of(agent.id()));
    }

    @Test
    void aReservationMadeInAnAcceptCanBeUsedByALaunchInTheSameCall() {
        Protos.TaskInfo task = Protobufs.task("t1", agent.id(), "cpus(prod):1;mem:128");

        CallResult result = master.call(fw, accept(fw.lastOffer(), reserve("cpus(prod):2"),
                Operation.newBuilder().setType(Operation.Type.LAUNCH)
                        .setLaunch(Operation.Launch.newBuilder().addTaskInfos(task)).build()));

        assertThat(result.isAccepted()).isTrue();
        assertThat(total()).isEqualTo(Resources.parse("cpus:2;cpus(prod):2;mem:1024"));
        assertThat(agent.eventsOf(AgentEvent.Launch.class)).singleElement()
                .satisfies(l -> assertThat(l.task().getTaskId().getValue()).isEqualTo("t1"));
        assertThat(ResourceMapping.fromMesos(fw.lastOffer().getResourcesList()))
                .isEqualTo(Resources.parse("cpus:2;cpus(prod):1;mem:896"));
    }

    @Test
    void unreserveGivesReservedOfferedResourcesBackToEveryRole() {
        master.call(fw, accept(fw.lastOffer(), reserve("cpus(prod):2")));

        CallResult result = master.call(fw, accept(fw.lastOffer(), unreserve("cpus(prod):2")));

        assertThat(result.isAccepted()).isTrue();
        assertThat(total()).isEqualTo(Resources.parse("cpus:4;mem:1024"));
    }

    @Test
    void aReservationForARoleTheFrameworkDoesNotHoldIsRefusedAndTheOfferStays() {
        Operation other = Operation.newBuilder().setType(Operation.Type.RESERVE).setReserve(Operation.Reserve
                .newBuilder().addAllResources(ResourceMapping.toMesos(Resources.parse("cpus(dev):1"), "prod"))).build();

        CallResult result = master.call(fw, accept(fw.lastOffer(), other));

        assertThat(result.status()).isEqualTo(CallResult.BAD_REQUEST);
        assertThat(result.message()).contains("operation #0 RESERVE", "role 'dev'", "does not hold");
        assertThat(total()).isEqualTo(Resources.parse("cpus:4;mem:1024"));
        assertThat(master.snapshot().offers()).hasSize(1);
    }

    @Test
    void reservingMoreThanTheOffersHoldIsRefused() {
        CallResult result = master.call(fw, accept(fw.lastOffer(), reserve("cpus(prod):8")));

        assertThat(result.status()).isEqualTo(CallResult.BAD_REQUEST);
        assertThat(result.message()).contains("'cpus:8' is not in the offers");
        assertThat(total()).isEqualTo(Resources.parse("cpus:4;mem:1024"));
    }

    @Test
    void unreservingWhatIsNotReservedIsRefused() {
        Operation plain = Operation.newBuilder().setType(Operation.Type.UNRESERVE).setUnreserve(Operation.Unreserve
                .newBuilder().addAllResources(ResourceMapping.toMesos(Resources.parse("cpus:1"), "prod"))).build();

        CallResult result = master.call(fw, accept(fw.lastOffer(), plain));

        assertThat(result.status()).isEqualTo(CallResult.BAD_REQUEST);
        assertThat(result.message()).contains("is not reserved");
        master.advance(Duration.ofSeconds(1));
        assertThat(master.snapshot().offers()).hasSize(1);
    }
}
