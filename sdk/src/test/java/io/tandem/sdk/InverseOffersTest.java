package io.tandem.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.Filters;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.InverseOffer;
import org.apache.mesos.v1.Protos.OfferID;
import org.apache.mesos.v1.Protos.TimeInfo;
import org.apache.mesos.v1.Protos.Unavailability;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Inverse offers (maintenance) reach the scheduler, and its answers reach the master as Mesos calls. */
class InverseOffersTest {
    private final RecordingScheduler scheduler = new RecordingScheduler();
    private FakeMaster master;
    private SchedulerDriver driver;

    @BeforeEach
    void subscribe() throws Exception {
        master = new FakeMaster();
        driver = SchedulerDriver.builder().master(master.url())
                .frameworkInfo(FrameworkInfo.newBuilder().setUser("alice").setName("drained").build())
                .scheduler(scheduler).backoff(Duration.ofMillis(10), Duration.ofMillis(50))
                .callTimeout(Duration.ofSeconds(5)).build();
        driver.start();
        await().atMost(10, TimeUnit.SECONDS).until(() -> scheduler.events.contains("subscribed fw-1"));
    }

    @AfterEach
    void close() {
        driver.stop(true);
        master.close();
    }

    private static OfferID id(String value) {
        return OfferID.newBuilder().setValue(value).build();
    }

    @Test
    void inverseOffersAndTheirRescindingAreDeliveredToTheScheduler() throws Exception {
        InverseOffer offer = InverseOffer.newBuilder().setId(id("io-1"))
                .setFrameworkId(FrameworkID.newBuilder().setValue("fw-1")).setAgentId(AgentID.newBuilder().setValue("a-1"))
                .setUnavailability(Unavailability.newBuilder().setStart(TimeInfo.newBuilder().setNanoseconds(1))).build();

        master.send(Event.newBuilder().setType(Event.Type.INVERSE_OFFERS)
                .setInverseOffers(Event.InverseOffers.newBuilder().addInverseOffers(offer)).build());
        master.send(Event.newBuilder().setType(Event.Type.RESCIND_INVERSE_OFFER)
                .setRescindInverseOffer(Event.RescindInverseOffer.newBuilder().setInverseOfferId(id("io-1"))).build());

        await().atMost(10, TimeUnit.SECONDS).until(() -> scheduler.events.contains("inverse-rescinded io-1"));
        assertThat(scheduler.events).containsSubsequence("inverse-offers io-1", "inverse-rescinded io-1");
    }

    @Test
    void acceptAndDeclineSendTheMesosCallsWithTheirFilters() throws Exception {
        driver.acceptInverseOffers(List.of(id("io-1"), id("io-2")), null).get(5, TimeUnit.SECONDS);
        driver.declineInverseOffers(List.of(id("io-3")), Filters.newBuilder().setRefuseSeconds(60).build())
                .get(5, TimeUnit.SECONDS);

        Call accept = master.calls(Call.Type.ACCEPT_INVERSE_OFFERS).getFirst();
        assertThat(accept.getFrameworkId().getValue()).isEqualTo("fw-1");
        assertThat(accept.getAcceptInverseOffers().getInverseOfferIdsList()).containsExactly(id("io-1"), id("io-2"));
        assertThat(accept.getAcceptInverseOffers().hasFilters()).isFalse();
        Call decline = master.calls(Call.Type.DECLINE_INVERSE_OFFERS).getFirst();
        assertThat(decline.getDeclineInverseOffers().getInverseOfferIdsList()).containsExactly(id("io-3"));
        assertThat(decline.getDeclineInverseOffers().getFilters().getRefuseSeconds()).isEqualTo(60.0);
    }
}
