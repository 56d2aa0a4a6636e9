package io.tandem.sdk;

import java.util.List;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.InverseOffer;
import org.apache.mesos.v1.Protos.MasterInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.OfferID;
import org.apache.mesos.v1.Protos.OperationStatus;
import org.apache.mesos.v1.Protos.TaskStatus;

/**
 * What a framework does when the master tells it something. A {@link SchedulerDriver} calls these
 * methods on one callback thread, one at a time, in the order the master sent the events; a callback
 * that blocks delays every later one. The {@code driver} argument is the way to answer.
 *
 * <p>Every method except {@link #offers} has a default that does nothing, so a scheduler implements
 * only what it cares about. An exception thrown by a callback is logged and does not stop the driver.
 */
public interface Scheduler {

    /**
     * The master accepted the subscription: the first time with a new framework id, after a
     * reconnection with the same one.
     *
     * @param masterInfo the master's address, or {@code null} when the master did not send it
     */
    default void subscribed(SchedulerCalls driver, FrameworkID frameworkId, MasterInfo masterInfo) {}

    /** New offers. Each must eventually be accepted or declined, or the resources stay held. */
    void offers(SchedulerCalls driver, List<Offer> offers);

    /** An offer is no longer valid (its agent went away, or the master's offer timeout passed). */
    default void rescinded(SchedulerCalls driver, OfferID offerId) {}

    /**
     * Inverse offers (maintenance): the master asks the framework to give each agent back by its
     * {@code unavailability}, because the agent's machine is scheduled for maintenance. Answer with
     * {@link SchedulerCalls#acceptInverseOffers} (the framework will be off the agent in time) or
     * {@link SchedulerCalls#declineInverseOffers}; the answer is advice the operator sees, and changes
     * nothing by itself. Unanswered, an inverse offer stays until the master rescinds it.
     */
    default void inverseOffers(SchedulerCalls driver, List<InverseOffer> inverseOffers) {}

    /** An inverse offer is no longer valid (its machine went down or up, or its window moved). */
    default void inverseOfferRescinded(SchedulerCalls driver, OfferID inverseOfferId) {}

    /**
     * A task's status changed. With auto-acknowledgement on (the default) the driver acknowledges the
     * update after this method returns, so a crash inside it means Mesos sends the update again.
     */
    default void update(SchedulerCalls driver, TaskStatus status) {}

    /** The status of an offer operation (e.g. RESERVE) that asked for feedback changed. */
    default void operationUpdate(SchedulerCalls driver, OperationStatus status) {}

    /** An executor sent bytes to the scheduler; delivery is not guaranteed. */
    default void message(SchedulerCalls driver, AgentID agentId, ExecutorID executorId, byte[] data) {}

    /**
     * An agent was removed, or an executor ended.
     *
     * @param executorId {@code null} when the whole agent failed
     * @param status the executor's exit status, or {@code null} when unknown
     */
    default void failure(SchedulerCalls driver, AgentID agentId, ExecutorID executorId, Integer status) {}

    /**
     * The master refused the framework (an ERROR event or a 4xx answer to SUBSCRIBE). The driver has
     * stopped when this is called; create a new one to try again.
     */
    default void error(SchedulerCalls driver, String message) {}

    /** The subscription was lost; the driver is already trying to subscribe again. */
    default void disconnected(SchedulerCalls driver) {}

    /** The master's periodic heartbeat; the driver already uses it to detect a dead connection. */
    default void heartbeat(SchedulerCalls driver) {}
}
