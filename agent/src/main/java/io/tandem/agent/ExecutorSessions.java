package io.tandem.agent;

import com.google.protobuf.ByteString;
import io.tandem.agent.ExecutorRecord.Phase;
import io.tandem.agent.status.TaskKey;
import io.tandem.api.agent.AgentCall;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.mesos.v1.Protos.AgentInfo;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.Protos.TaskStatus.Reason;
import org.apache.mesos.v1.executor.Protos.Call;
import org.apache.mesos.v1.executor.Protos.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The conversation with running executors over the Mesos v1 executor API ({@link ExecutorApi} is the
 * HTTP side): their SUBSCRIBE, UPDATE and MESSAGE calls, and the events that answer them or pass the
 * framework's word on. A SUBSCRIBE may come again, after a lost connection or an agent restart; what
 * it says about the past is decided by {@link Resubscription}. The executors' lifecycle (start,
 * recovery, shutdown, exit) is {@link ExecutorSupervisor}'s.
 *
 * <p>Owned by the agent loop thread.
 */
final class ExecutorSessions {
    private static final Logger log = LoggerFactory.getLogger(ExecutorSessions.class);

    private final Function<ExecutorRecord.Key, ExecutorRecord> executors;
    private final TaskTable tasks;
    private final MasterChannel master;
    private final Supplier<AgentInfo> agentInfo;

    /** {@code executors}: the running executor with a key, or null. */
    ExecutorSessions(Function<ExecutorRecord.Key, ExecutorRecord> executors, TaskTable tasks, MasterChannel master,
                     Supplier<AgentInfo> agentInfo) {
        this.executors = executors;
        this.tasks = tasks;
        this.master = master;
        this.agentInfo = agentInfo;
    }

    /**
     * A SUBSCRIBE from the executor process. Returns why it is refused, or null when {@code stream}
     * now carries the executor's events: SUBSCRIBED, then a LAUNCH per queued task.
     */
    String subscribe(Call call, ExecutorStream stream) {
        ExecutorRecord executor = executors.apply(ExecutorProtocol.keyOf(call));
        if (executor == null || executor.isEnding()) {
            return ExecutorProtocol.notRunning(call);
        }
        if (executor.stream != null) {
            executor.stream.close(); // a reconnecting executor replaces its old connection
        }
        executor.stream = stream;
        log.info("{} {}", executor, executor.phase == Phase.RECOVERING ? "re-subscribed after the agent restarted"
                : executor.phase == Phase.SUBSCRIBED ? "re-subscribed" : "subscribed");
        executor.phase = Phase.SUBSCRIBED;
        if (executor.registrationTimer != null) {
            executor.registrationTimer.cancel();
        }
        stream.send(Event.newBuilder().setType(Event.Type.SUBSCRIBED)
                .setSubscribed(Event.Subscribed.newBuilder()
                        .setExecutorInfo(executor.info)
                        .setFrameworkInfo(executor.framework)
                        .setAgentInfo(agentInfo.get())
                        .setContainerId(executor.containerId))
                .build());
        apply(executor, Resubscription.decide(executor, call.getSubscribe()));
        for (TaskRecord task : List.copyOf(executor.queued.values())) {
            executor.queued.remove(task.key);
            executor.launched.put(task.key, task);
            stream.send(ExecutorProtocol.launchEvent(task));
        }
        return null;
    }

    /** An UPDATE from the executor; returns why it is refused, or null when accepted. */
    String update(Call call) {
        ExecutorRecord executor = executors.apply(ExecutorProtocol.keyOf(call));
        if (executor == null) {
            return ExecutorProtocol.notRunning(call);
        }
        String invalid = ExecutorProtocol.invalidUpdate(call);
        if (invalid != null) {
            return invalid;
        }
        received(executor, call.getUpdate().getStatus());
        return null;
    }

    private void received(ExecutorRecord executor, TaskStatus status) {
        TaskRecord task = executor.launched.get(new TaskKey(executor.key.frameworkId(), status.getTaskId()));
        if (task == null) {
            log.warn("{} sent {} for task '{}', which it does not run; dropped", executor, status.getState(),
                    status.getTaskId().getValue());
            return;
        }
        if (!executor.received.add(status.getUuid())) {
            log.debug("{} sent update {} of {} again; dropped", executor, status.getState(), task);
            return;
        }
        tasks.executorUpdate(task, status);
    }

    /** What a (re-)subscribing executor's unacknowledged updates and tasks tell, carried out. */
    private void apply(ExecutorRecord executor, Resubscription.Outcome outcome) {
        outcome.acknowledgements().forEach(executor.stream::send);
        for (TaskStatus status : outcome.updates()) {
            Call.Update update = Call.Update.newBuilder().setStatus(status).build();
            String invalid = ExecutorProtocol.invalidUpdate(Call.newBuilder().setType(Call.Type.UPDATE)
                    .setExecutorId(executor.key.executorId()).setUpdate(update).buildPartial());
            if (invalid == null) {
                received(executor, status);
            } else {
                log.warn("{} resent an invalid update of task '{}': {}; dropped", executor,
                        status.getTaskId().getValue(), invalid);
            }
        }
        for (TaskRecord task : outcome.lost()) {
            tasks.agentUpdate(task, Resubscription.lostState(task), Reason.REASON_AGENT_RESTARTED,
                    Resubscription.LAUNCH_LOST);
        }
    }

    /** A MESSAGE from the executor, passed on to its framework's scheduler. */
    String message(Call call) {
        if (executors.apply(ExecutorProtocol.keyOf(call)) == null) {
            return ExecutorProtocol.notRunning(call);
        }
        if (!call.hasMessage()) {
            return "Expecting 'message' to be present";
        }
        master.send(new AgentCall.Message(call.getFrameworkId(), call.getExecutorId(), call.getMessage().getData()));
        return null;
    }

    /** The HTTP connection carrying {@code stream} ended; the executor may subscribe again. */
    void streamEnded(Call call, ExecutorStream stream) {
        ExecutorRecord executor = executors.apply(ExecutorProtocol.keyOf(call));
        if (executor != null && executor.stream == stream) {
            executor.stream = null;
            log.info("{} disconnected", executor);
        }
    }

    /** The framework acknowledged an update the executor sent: tell the executor. */
    void acknowledged(TaskRecord task, TaskStatus status) {
        ExecutorRecord executor = executors.apply(new ExecutorRecord.Key(task.key.frameworkId(), task.executorId));
        if (executor == null) {
            return;
        }
        executor.acknowledged.add(status.getUuid());
        if (executor.stream != null) {
            executor.stream.send(Event.newBuilder().setType(Event.Type.ACKNOWLEDGED)
                    .setAcknowledged(Event.Acknowledged.newBuilder().setTaskId(status.getTaskId())
                            .setUuid(status.getUuid()))
                    .build());
        }
        if (tasks.get(task.key) == null) {
            executor.launched.remove(task.key); // forgotten after its terminal acknowledgement
        }
    }

    /** A framework's message for one of its executors; dropped (as Mesos does) if it is not connected. */
    void frameworkMessage(FrameworkID frameworkId, ExecutorID executorId, ByteString data) {
        ExecutorRecord executor = executors.apply(new ExecutorRecord.Key(frameworkId, executorId));
        if (executor == null || executor.stream == null) {
            log.warn("dropping message for executor {}/{}: not connected", frameworkId.getValue(), executorId.getValue());
            return;
        }
        executor.stream.send(Event.newBuilder().setType(Event.Type.MESSAGE)
                .setMessage(Event.Message.newBuilder().setData(data)).build());
    }
}
