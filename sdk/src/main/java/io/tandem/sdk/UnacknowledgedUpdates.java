package io.tandem.sdk;

import com.google.protobuf.ByteString;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.executor.Protos.Call;

/**
 * What an executor must resend in its next SUBSCRIBE after losing the agent, per the Mesos executor
 * API: the status updates the agent has not acknowledged, and the tasks of which no update has been
 * acknowledged yet (the agent may not know they were launched).
 *
 * <p>Thread-safe: updates are recorded by the executor's threads, acknowledgements and launches by the
 * driver's subscription thread.
 */
final class UnacknowledgedUpdates {
    private final Map<ByteString, Call.Update> updates = new LinkedHashMap<>();
    private final Map<String, TaskInfo> tasks = new LinkedHashMap<>();

    synchronized void launched(TaskInfo task) {
        tasks.put(task.getTaskId().getValue(), task);
    }

    synchronized void sent(Call.Update update) {
        updates.put(update.getStatus().getUuid(), update);
    }

    /** The agent refused the update; resending it would only be refused again. */
    synchronized void dropped(TaskStatus status) {
        updates.remove(status.getUuid());
    }

    synchronized void acknowledged(String taskId, ByteString uuid) {
        updates.remove(uuid);
        tasks.remove(taskId);
    }

    /**
     * The updates held now that {@code subscribe} did not carry: recorded while that SUBSCRIBE was on
     * its way, when the driver was not subscribed and so did not send them itself.
     */
    synchronized List<Call.Update> notIn(Call.Subscribe subscribe) {
        Set<ByteString> carried = new HashSet<>();
        subscribe.getUnacknowledgedUpdatesList().forEach(u -> carried.add(u.getStatus().getUuid()));
        return updates.values().stream().filter(u -> !carried.contains(u.getStatus().getUuid())).toList();
    }

    synchronized Call.Subscribe subscribe() {
        return Call.Subscribe.newBuilder()
                .addAllUnacknowledgedUpdates(updates.values())
                .addAllUnacknowledgedTasks(tasks.values())
                .build();
    }
}
