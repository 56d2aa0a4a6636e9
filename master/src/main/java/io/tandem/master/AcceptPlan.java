package io.tandem.master;

import io.tandem.model.AgentId;
import io.tandem.model.Resources;
import java.time.Duration;
import java.util.List;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;

/**
 * What an ACCEPT call will do, decided by {@link LaunchValidation} and carried out by
 * {@link Launches}: offers to consume, reservations to make or undo in them (before launching), tasks to launch, tasks refused (each with the update the
 * framework gets), and resources to give back to the allocator.
 */
record AcceptPlan(List<Offer> consumed, List<OfferReservations.Conversion> conversions, List<Launch> launches,
                  List<Rejection> rejections, List<Returned> returned) {
    AcceptPlan {
        conversions = List.copyOf(conversions);
        consumed = List.copyOf(consumed);
        launches = List.copyOf(launches);
        rejections = List.copyOf(rejections);
        returned = List.copyOf(returned);
    }

    /**
     * A task to launch on {@code agentId}. {@code executorResources} is what its executor takes when
     * this task starts it, empty when the executor runs already or the task has a command.
     */
    record Launch(TaskInfo task, AgentId agentId, String role, Resources resources, Resources executorResources) {}

    /** A task that will not run, and why; the framework gets an UPDATE with this state and reason. */
    record Rejection(TaskInfo task, TaskState state, TaskStatus.Reason reason, String message) {}

    /** Resources that go back to the allocator, filtered from this framework for {@code refuseFor}. */
    record Returned(AgentId agentId, String role, Resources resources, Duration refuseFor) {}
}
