package io.tandem.api.agent;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.google.protobuf.ByteString;
import java.util.List;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.KillPolicy;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;

/** Events the master sends an agent on the stream that answers its {@link AgentCall.Subscribe}. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = AgentEvent.Subscribed.class, name = "SUBSCRIBED"),
    @JsonSubTypes.Type(value = AgentEvent.Launch.class, name = "LAUNCH"),
    @JsonSubTypes.Type(value = AgentEvent.Kill.class, name = "KILL"),
    @JsonSubTypes.Type(value = AgentEvent.Acknowledge.class, name = "ACKNOWLEDGE"),
    @JsonSubTypes.Type(value = AgentEvent.Message.class, name = "MESSAGE"),
    @JsonSubTypes.Type(value = AgentEvent.ShutdownFramework.class, name = "SHUTDOWN_FRAMEWORK"),
    @JsonSubTypes.Type(value = AgentEvent.Reconcile.class, name = "RECONCILE"),
    @JsonSubTypes.Type(value = AgentEvent.Heartbeat.class, name = "HEARTBEAT"),
})
public sealed interface AgentEvent {

    /**
     * First event of every stream. {@code reportIntervalSeconds} is how often the agent must send
     * {@link AgentCall.Report}; the master marks it unreachable after {@code agentTimeoutSeconds}
     * without one.
     */
    record Subscribed(AgentID agentId, double reportIntervalSeconds, double agentTimeoutSeconds)
            implements AgentEvent {}

    /**
     * Run {@code task} for {@code framework}. The task has either a command (the agent runs it
     * with its built-in command executor) or an executor, which the agent starts unless it runs
     * already. Resources were checked by the master; the agent runs what it is told.
     */
    record Launch(FrameworkInfo framework, TaskInfo task) implements AgentEvent {}

    /** Kill a task: SIGTERM to its process tree, SIGKILL after the grace period. */
    record Kill(FrameworkID frameworkId, TaskID taskId, KillPolicy killPolicy) implements AgentEvent {}

    /** The framework acknowledged the update with this uuid; the agent may forget it. */
    record Acknowledge(FrameworkID frameworkId, TaskID taskId, ByteString uuid) implements AgentEvent {}

    /** A framework's message to one of its executors on this agent. */
    record Message(FrameworkID frameworkId, ExecutorID executorId, ByteString data) implements AgentEvent {}

    /** The framework is gone: kill all its tasks and executors on this agent. */
    record ShutdownFramework(FrameworkID frameworkId) implements AgentEvent {}

    /**
     * Send the latest status (without uuid) of each listed task of the framework that the agent
     * knows; an empty list means every task of the framework.
     */
    record Reconcile(FrameworkID frameworkId, List<TaskID> taskIds) implements AgentEvent {
        public Reconcile {
            taskIds = List.copyOf(taskIds);
        }
    }

    /** Keeps idle connections and proxies from closing the stream. */
    record Heartbeat() implements AgentEvent {}
}
