package io.tandem.frameworks.service;

import io.tandem.sdk.Scheduler;
import io.tandem.sdk.SchedulerCalls;
import java.util.List;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.MasterInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SDK's view of the service scheduler: each callback runs on the {@link ServiceLoop}'s thread and
 * returns once handled, so a status update is acknowledged only after the loop acted on it (and saved).
 */
final class ServiceFramework implements Scheduler {
    private static final Logger log = LoggerFactory.getLogger(ServiceFramework.class);
    private final ServiceLoop loop;
    private final java.util.function.Consumer<String> refused;
    private volatile String error;

    /**
     * @param refused told the master's words when it refuses the framework (the driver has stopped then)
     */
    ServiceFramework(ServiceLoop loop, java.util.function.Consumer<String> refused) {
        this.loop = loop;
        this.refused = refused;
    }

    /** The master's refusal, or null. */
    String error() {
        return error;
    }

    @Override
    public void subscribed(SchedulerCalls driver, FrameworkID frameworkId, MasterInfo masterInfo) {
        error = null;
        loop.run(() -> loop.subscribed(driver, frameworkId));
    }

    @Override
    public void offers(SchedulerCalls driver, List<Offer> offers) {
        loop.run(() -> loop.offers(driver, offers));
    }

    @Override
    public void update(SchedulerCalls driver, TaskStatus status) {
        loop.run(() -> loop.update(driver, status));
    }

    @Override
    public void disconnected(SchedulerCalls driver) {
        log.warn("lost the master; subscribing again");
        loop.run(loop::disconnected);
    }

    @Override
    public void error(SchedulerCalls driver, String message) {
        log.error("the master refused the service scheduler: {}", message);
        error = message;
        refused.accept(message);
    }
}
