package io.tandem.agent;

import io.tandem.agent.recovery.RecoveryDecision;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.executor.Protos.Call;
import org.apache.mesos.v1.executor.Protos.Event;

/**
 * What an executor's SUBSCRIBE says about the past, decided without changing anything (the
 * {@link ExecutorSupervisor} applies it). An executor that lost the agent (its connection broke, or
 * the agent restarted) re-subscribes with what it has not seen acknowledged, per the Mesos executor API:
 *
 * <ul>
 *   <li>each unacknowledged update the agent never received is taken as if it were sent now (a task
 *       that ended while the agent was down reports it this way); one already acknowledged is
 *       acknowledged to the executor again; one in flight is left alone;
 *   <li>a task the agent handed to the executor that is still staging and absent from the
 *       executor's unacknowledged tasks never reached it (the LAUNCH was lost with the connection):
 *       it is dropped, TASK_DROPPED (TASK_LOST for frameworks that are not partition-aware), as Mesos
 *       does with "Task launched during agent restart".
 * </ul>
 *
 * <p>Pure.
 */
final class Resubscription {
    static final String LAUNCH_LOST = "Task launched during agent restart";

    /**
     * @param updates the executor's updates to record, in its order
     * @param acknowledgements ACKNOWLEDGED events to send the executor after SUBSCRIBED
     * @param lost tasks the executor never got
     */
    record Outcome(List<TaskStatus> updates, List<Event> acknowledgements, List<TaskRecord> lost) {}

    private Resubscription() {}

    static Outcome decide(ExecutorRecord executor, Call.Subscribe subscribe) {
        List<TaskStatus> updates = new ArrayList<>();
        List<Event> acknowledgements = new ArrayList<>();
        for (Call.Update update : subscribe.getUnacknowledgedUpdatesList()) {
            TaskStatus status = update.getStatus();
            if (executor.acknowledged.contains(status.getUuid())) {
                acknowledgements.add(Event.newBuilder().setType(Event.Type.ACKNOWLEDGED)
                        .setAcknowledged(Event.Acknowledged.newBuilder().setTaskId(status.getTaskId())
                                .setUuid(status.getUuid()))
                        .build());
            } else if (!executor.received.contains(status.getUuid())) {
                updates.add(status);
            }
        }
        Set<TaskID> known = new HashSet<>();
        subscribe.getUnacknowledgedTasksList().stream().map(TaskInfo::getTaskId).forEach(known::add);
        updates.stream().map(TaskStatus::getTaskId).forEach(known::add);
        List<TaskRecord> lost = executor.launched.values().stream()
                .filter(task -> task.state() == TaskState.TASK_STAGING && !known.contains(task.key.taskId()))
                .toList();
        return new Outcome(updates, acknowledgements, lost);
    }

    /** The state a task the executor never got ends in. */
    static TaskState lostState(TaskRecord task) {
        return RecoveryDecision.gone(task.framework) == TaskState.TASK_GONE ? TaskState.TASK_DROPPED
                : TaskState.TASK_LOST;
    }
}
