package io.tandem.sdk;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.MasterInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.OfferID;
import org.apache.mesos.v1.Protos.TaskStatus;

/** Writes each callback as a line such as {@code "offers o-1,o-2"}, with the name of the thread it ran on. */
final class RecordingScheduler implements Scheduler {
    final List<String> events = new CopyOnWriteArrayList<>();
    final List<String> threads = new CopyOnWriteArrayList<>();

    private void record(String event) {
        events.add(event);
        threads.add(Thread.currentThread().getName());
    }

    long count(String prefix) {
        return events.stream().filter(e -> e.startsWith(prefix)).count();
    }

    @Override
    public void subscribed(SchedulerCalls driver, FrameworkID frameworkId, MasterInfo masterInfo) {
        record("subscribed " + frameworkId.getValue());
    }

    @Override
    public void offers(SchedulerCalls driver, List<Offer> offers) {
        record("offers " + String.join(",", offers.stream().map(o -> o.getId().getValue()).toList()));
    }

    @Override
    public void rescinded(SchedulerCalls driver, OfferID offerId) {
        record("rescinded " + offerId.getValue());
    }

    @Override
    public void inverseOffers(SchedulerCalls driver, List<org.apache.mesos.v1.Protos.InverseOffer> inverseOffers) {
        record("inverse-offers " + String.join(",", inverseOffers.stream().map(o -> o.getId().getValue()).toList()));
    }

    @Override
    public void inverseOfferRescinded(SchedulerCalls driver, OfferID inverseOfferId) {
        record("inverse-rescinded " + inverseOfferId.getValue());
    }

    @Override
    public void update(SchedulerCalls driver, TaskStatus status) {
        record("update " + status.getTaskId().getValue() + " " + status.getState());
    }

    @Override
    public void message(SchedulerCalls driver, AgentID agentId, ExecutorID executorId, byte[] data) {
        record("message " + new String(data, java.nio.charset.StandardCharsets.UTF_8));
    }

    @Override
    public void failure(SchedulerCalls driver, AgentID agentId, ExecutorID executorId, Integer status) {
        record("failure " + agentId.getValue() + " " + (executorId == null ? "-" : executorId.getValue()) + " " + status);
    }

    @Override
    public void error(SchedulerCalls driver, String message) {
        record("error " + message);
    }

    @Override
    public void disconnected(SchedulerCalls driver) {
        record("disconnected");
    }
}
