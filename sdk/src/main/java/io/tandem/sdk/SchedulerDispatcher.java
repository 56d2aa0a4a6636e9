package io.tandem.sdk;

import java.util.function.BooleanSupplier;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands events to a {@link Scheduler} on one callback thread, in the order they were read, so a
 * scheduler never needs locks of its own. With auto-acknowledgement, an UPDATE that carries a uuid is
 * acknowledged after {@link Scheduler#update} returns (not before: a scheduler that dies inside the
 * callback gets the update again).
 *
 * <p>{@link #event}, {@link #disconnected} and {@link #refused} may be called from any thread; the
 * callbacks run on the thread named {@code tandem-scheduler-callbacks}.
 */
final class SchedulerDispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(SchedulerDispatcher.class);

    private final Scheduler scheduler;
    private final SchedulerCalls driver;
    private final boolean autoAcknowledge;
    private final BooleanSupplier stopped;
    private final CallbackThread callbacks = new CallbackThread("tandem-scheduler-callbacks");

    SchedulerDispatcher(Scheduler scheduler, SchedulerCalls driver, boolean autoAcknowledge, BooleanSupplier stopped) {
        this.scheduler = scheduler;
        this.driver = driver;
        this.autoAcknowledge = autoAcknowledge;
        this.stopped = stopped;
    }

    void event(Event event) {
        submit(event.getType().name(), () -> deliver(event));
    }

    void disconnected() {
        submit("disconnected", () -> scheduler.disconnected(driver));
    }

    /** Delivered even though the driver has stopped: it is the reason why. */
    void refused(String message) {
        execute("error", () -> scheduler.error(driver, message));
    }

    /** Lets queued callbacks finish but accepts no more. */
    void shutdown() {
        callbacks.shutdown();
    }

    private void submit(String what, Runnable callback) {
        execute(what, () -> {
            if (!stopped.getAsBoolean()) {
                callback.run();
            }
        });
    }

    private void execute(String what, Runnable callback) {
        callbacks.run(what, callback);
    }

    private void deliver(Event event) {
        switch (event.getType()) {
            case SUBSCRIBED -> scheduler.subscribed(driver, event.getSubscribed().getFrameworkId(),
                    event.getSubscribed().hasMasterInfo() ? event.getSubscribed().getMasterInfo() : null);
            case OFFERS -> scheduler.offers(driver, event.getOffers().getOffersList());
            case RESCIND -> scheduler.rescinded(driver, event.getRescind().getOfferId());
            case INVERSE_OFFERS -> scheduler.inverseOffers(driver, event.getInverseOffers().getInverseOffersList());
            case RESCIND_INVERSE_OFFER ->
                    scheduler.inverseOfferRescinded(driver, event.getRescindInverseOffer().getInverseOfferId());
            case UPDATE -> update(event.getUpdate().getStatus());
            case UPDATE_OPERATION_STATUS -> scheduler.operationUpdate(driver, event.getUpdateOperationStatus().getStatus());
            case MESSAGE -> scheduler.message(driver, event.getMessage().getAgentId(),
                    event.getMessage().getExecutorId(), event.getMessage().getData().toByteArray());
            case FAILURE -> failure(event.getFailure());
            case ERROR -> scheduler.error(driver, event.getError().getMessage());
            case HEARTBEAT -> scheduler.heartbeat(driver);
            default -> LOG.debug("ignoring {} event", event.getType());
        }
    }

    private void update(TaskStatus status) {
        scheduler.update(driver, status);
        if (autoAcknowledge && status.hasUuid() && !stopped.getAsBoolean()) {
            driver.acknowledge(status).whenComplete((ok, failure) -> {
                if (failure != null) {
                    LOG.warn("could not acknowledge {} of task {}: {}", status.getState(),
                            status.getTaskId().getValue(), CallPoster.describe(failure));
                }
            });
        }
    }

    private void failure(Event.Failure failure) {
        scheduler.failure(driver, failure.getAgentId(),
                failure.hasExecutorId() ? failure.getExecutorId() : null,
                failure.hasStatus() ? failure.getStatus() : null);
    }
}
