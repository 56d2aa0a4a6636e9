package io.tandem.sdk;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.Filters;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.OfferID;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.scheduler.Protos.Call;

/**
 * The calls a scheduler makes to the master (Mesos v1 scheduler API). {@link SchedulerDriver} sends
 * them over HTTP; tests of a {@link Scheduler} can pass a fake that records them.
 *
 * <p>Every call returns a future that completes when the master answered {@code 202 Accepted}, which
 * means "will be processed", not "done": results arrive later as events. The future fails with a
 * {@link CallRejectedException} (the master's status and text) on an error answer, with an
 * {@link java.io.IOException} when the master cannot be reached, and with an
 * {@link IllegalStateException} when the driver is not subscribed. Calls reach the master in the
 * order they were made: the driver sends each once the one before it was answered. Thread-safe.
 */
public interface SchedulerCalls {

    /** The framework id the master assigned, once subscribed. */
    Optional<FrameworkID> frameworkId();

    /** Uses the offers for {@code operations}; whatever the operations leave is declined with {@code filters}. */
    CompletableFuture<Void> accept(Collection<OfferID> offerIds, List<Offer.Operation> operations, Filters filters);

    /** Launches {@code tasks} on the resources of one offer: an ACCEPT with one LAUNCH operation. */
    default CompletableFuture<Void> launch(OfferID offerId, List<TaskInfo> tasks) {
        return launch(List.of(offerId), tasks);
    }

    /** Launches {@code tasks} on the combined resources of several offers of one agent. */
    default CompletableFuture<Void> launch(Collection<OfferID> offerIds, List<TaskInfo> tasks) {
        Offer.Operation launch = Offer.Operation.newBuilder()
                .setType(Offer.Operation.Type.LAUNCH)
                .setLaunch(Offer.Operation.Launch.newBuilder().addAllTaskInfos(tasks))
                .build();
        return accept(offerIds, List.of(launch), null);
    }

    /** Returns the offers' resources; {@code filters} (nullable) says how long not to offer them again. */
    CompletableFuture<Void> decline(Collection<OfferID> offerIds, Filters filters);

    /**
     * Answers inverse offers: the framework will have left their agents by their unavailability. With
     * {@code filters} (nullable; 5 s by default) the master does not ask again about those agents for that long.
     */
    default CompletableFuture<Void> acceptInverseOffers(Collection<OfferID> inverseOfferIds, Filters filters) {
        Call.AcceptInverseOffers.Builder accept = Call.AcceptInverseOffers.newBuilder().addAllInverseOfferIds(inverseOfferIds);
        if (filters != null) {
            accept.setFilters(filters);
        }
        return send(Call.newBuilder().setType(Call.Type.ACCEPT_INVERSE_OFFERS).setAcceptInverseOffers(accept));
    }

    /** Answers inverse offers: the framework cannot leave their agents in time; {@code filters} as for accepting. */
    default CompletableFuture<Void> declineInverseOffers(Collection<OfferID> inverseOfferIds, Filters filters) {
        Call.DeclineInverseOffers.Builder decline = Call.DeclineInverseOffers.newBuilder()
                .addAllInverseOfferIds(inverseOfferIds);
        if (filters != null) {
            decline.setFilters(filters);
        }
        return send(Call.newBuilder().setType(Call.Type.DECLINE_INVERSE_OFFERS).setDeclineInverseOffers(decline));
    }

    /** Kills a task; {@code agentId} may be {@code null} when not known. */
    CompletableFuture<Void> kill(TaskID taskId, AgentID agentId);

    /** Clears filters and resumes offers for {@code roles}, or for all the framework's roles when empty. */
    CompletableFuture<Void> revive(Set<String> roles);

    /** Stops offers for {@code roles}, or for all the framework's roles when empty, until a revive. */
    CompletableFuture<Void> suppress(Set<String> roles);

    /**
     * Declares what the framework still wants in {@code role}: task shapes and how many of each (a REQUEST
     * call). It replaces what was declared for that role before; declare again as tasks launch, since the
     * master counts granted tasks off the declaration. An empty list (or only zero counts) sends an empty
     * REQUEST, which withdraws the declarations of <em>every</em> role, as {@link #clearDemand()} does.
     * Tandem's allocator uses the declaration to offer resources task by task in fair-share order;
     * Apache Mesos masters accept the call and ignore it.
     */
    default CompletableFuture<Void> declareDemand(String role, List<TaskShape> shapes) {
        return send(Call.newBuilder().setType(Call.Type.REQUEST).setRequest(TaskShape.request(role, shapes)));
    }

    /** {@link #declareDemand(String, List)} in the framework's only role; a framework with several roles names one. */
    default CompletableFuture<Void> declareDemand(List<TaskShape> shapes) {
        return declareDemand(null, shapes);
    }

    /** Withdraws every declared demand: the framework gets plain Mesos offers again. */
    default CompletableFuture<Void> clearDemand() {
        return declareDemand(null, List.of());
    }

    /** Acknowledges a status update; updates without a uuid need (and allow) no acknowledgement. */
    CompletableFuture<Void> acknowledge(TaskStatus status);

    /**
     * Asks the master for the latest state of these tasks (their task and agent ids are used), or of
     * all the framework's tasks when empty. Answers arrive as {@link Scheduler#update} calls.
     */
    CompletableFuture<Void> reconcile(Collection<TaskStatus> tasks);

    /** Sends bytes to an executor; delivery is not guaranteed. */
    CompletableFuture<Void> message(AgentID agentId, ExecutorID executorId, byte[] data);

    /** Ends the framework: the master kills all its tasks and forgets it. */
    CompletableFuture<Void> teardown();

    /**
     * Sends any other call (e.g. UPDATE_FRAMEWORK, SHUTDOWN); the framework id is filled in.
     * The call's type names it in errors.
     */
    CompletableFuture<Void> send(Call.Builder call);
}
