package io.tandem.testkit;

import io.tandem.sdk.SchedulerCalls;
import java.time.Duration;
import java.util.List;
import org.apache.mesos.v1.Protos.Filters;
import org.apache.mesos.v1.Protos.Offer;

/**
 * What a {@link RecordingScheduler} does with the offers it did not use for a pending task. Runs on
 * the driver's callback thread.
 */
@FunctionalInterface
public interface OfferStrategy {

    void unused(SchedulerCalls driver, List<Offer> offers);

    /** Whether the offers stay with the scheduler, so that tasks queued later can use them. */
    default boolean holds() {
        return false;
    }

    /** Keeps the offers (they stay allocated to this framework until used, declined or rescinded). */
    static OfferStrategy hold() {
        return new OfferStrategy() {
            @Override
            public void unused(SchedulerCalls driver, List<Offer> offers) {}

            @Override
            public boolean holds() {
                return true;
            }
        };
    }

    /** Declines them, asking not to be offered those resources again for {@code refuse}. */
    static OfferStrategy decline(Duration refuse) {
        Filters filters = refuseFilter(refuse);
        return (driver, offers) -> {
            if (!offers.isEmpty()) {
                driver.decline(offers.stream().map(Offer::getId).toList(), filters);
            }
        };
    }

    static Filters refuseFilter(Duration refuse) {
        return Filters.newBuilder().setRefuseSeconds(refuse.toMillis() / 1000.0).build();
    }
}
