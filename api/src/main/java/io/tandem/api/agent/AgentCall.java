package io.tandem.api.agent;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.google.protobuf.ByteString;
import java.util.List;
import org.apache.mesos.v1.Protos.AgentInfo;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.ResourceStatistics;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;

/**
 * Calls an agent makes to the master on {@code POST /internal/agent} (Tandem's own protocol; Mesos
 * kept its agent protocol internal too). {@link Subscribe} is answered with a RecordIO stream of
 * {@link AgentEvent}s and a {@code Mesos-Stream-Id} header; every other call carries that header
 * and is answered 202, 400 (malformed) or 403 (stale stream).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = AgentCall.Subscribe.class, name = "SUBSCRIBE"),
    @JsonSubTypes.Type(value = AgentCall.Update.class, name = "UPDATE"),
    @JsonSubTypes.Type(value = AgentCall.Updates.class, name = "UPDATES"),
    @JsonSubTypes.Type(value = AgentCall.Report.class, name = "REPORT"),
    @JsonSubTypes.Type(value = AgentCall.Message.class, name = "MESSAGE"),
    @JsonSubTypes.Type(value = AgentCall.ExecutorExited.class, name = "EXECUTOR_EXITED"),
})
public sealed interface AgentCall {

    /**
     * Joins the cluster, or re-joins after a restart or a lost connection: {@code info.id} is set
     * when the agent already has an id. {@code tasks} are the tasks the agent still knows about
     * (not yet terminal, or terminal with an unacknowledged update), with the frameworks and
     * executors they belong to.
     */
    record Subscribe(AgentInfo info, List<KnownTask> tasks, List<FrameworkInfo> frameworks,
                     List<ExecutorInfo> executors) implements AgentCall {
        public Subscribe {
            tasks = List.copyOf(tasks);
            frameworks = List.copyOf(frameworks);
            executors = List.copyOf(executors);
        }
    }

    /** A task the agent knows about when it (re-)subscribes, with its latest state. */
    record KnownTask(TaskInfo task, FrameworkID frameworkId, TaskState state) {}

    /**
     * A status update for a framework. The status carries a uuid (reliable, resent by the agent
     * until acknowledged) or none (best effort, e.g. answers to reconciliation).
     */
    record Update(TaskStatus status, FrameworkID frameworkId) implements AgentCall {}

    /**
     * Several status updates in one call, handled as if sent one by one in this order: a burst of
     * launches (three updates per task) costs one round trip per batch instead of one per update.
     */
    record Updates(List<Update> updates) implements AgentCall {
        public Updates {
            // Not List.copyOf: a null element must reach the master's check, which names it, not fail decoding.
            updates = updates == null ? null : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(updates));
        }
    }

    /**
     * The periodic report, which is also the agent's heartbeat: the master marks an agent
     * unreachable when reports stop. {@code used} is what the agent's running tasks and executors
     * hold; {@code usage} what the running, contained command tasks use now, {@code executors} what
     * the running custom executors' containers use now (each shared by the executor's tasks). Both
     * are absent from older agents, and empty without containers.
     */
    record Report(List<Resource> used, List<TaskUsage> usage, List<ExecutorUsage> executors) implements AgentCall {
        public Report {
            used = used == null ? null : List.copyOf(used);
            usage = usage == null ? List.of() : List.copyOf(usage);
            executors = executors == null ? List.of() : List.copyOf(executors);
        }

        /** A report without usage statistics. */
        public Report(List<Resource> used) {
            this(used, List.of(), List.of());
        }

        /** A report with the command tasks' usage only. */
        public Report(List<Resource> used, List<TaskUsage> usage) {
            this(used, usage, List.of());
        }
    }

    /** One running task's usage statistics as Mesos reports them (cpu seconds, memory, processes, disk). */
    record TaskUsage(FrameworkID frameworkId, TaskID taskId, ResourceStatistics statistics) {}

    /** One running executor's container: its usage, shared by every task the executor runs. */
    record ExecutorUsage(FrameworkID frameworkId, ExecutorID executorId, ResourceStatistics statistics) {}

    /** An executor's message to its framework's scheduler. */
    record Message(FrameworkID frameworkId, ExecutorID executorId, ByteString data) implements AgentCall {}

    /**
     * An executor's process ended, after the agent sent the terminal updates of its unfinished tasks.
     * {@code status} is the wait status, as Mesos reports it (exit code {@code << 8}, or the signal).
     * Best effort: the master frees the executor's resources and tells the framework (FAILURE event).
     */
    record ExecutorExited(FrameworkID frameworkId, ExecutorID executorId, int status) implements AgentCall {}
}
