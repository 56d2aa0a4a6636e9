package io.tandem.master;

import io.tandem.api.agent.AgentCall;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.ResourceStatistics;
import org.apache.mesos.v1.Protos.TaskID;

/**
 * What an agent's last report said its running containers use: each contained command task's
 * statistics and each custom executor's (shared by that executor's tasks), and when the master
 * received the report. Immutable.
 *
 * @param reportedAt when the report arrived; null before the first
 */
record ReportedUsage(List<AgentCall.TaskUsage> tasks, List<AgentCall.ExecutorUsage> executors, Instant reportedAt) {
    static final ReportedUsage NONE = new ReportedUsage(List.of(), List.of(), null);

    ReportedUsage {
        tasks = List.copyOf(tasks);
        executors = List.copyOf(executors);
    }

    /** The statistics of a command task's own container. */
    Optional<ResourceStatistics> ofTask(FrameworkID framework, TaskID task) {
        return tasks.stream().filter(u -> u.frameworkId().equals(framework) && u.taskId().equals(task))
                .map(AgentCall.TaskUsage::statistics).findFirst();
    }

    /** The statistics of an executor's container. */
    Optional<ResourceStatistics> ofExecutor(FrameworkID framework, ExecutorID executor) {
        return executors.stream().filter(u -> u.frameworkId().equals(framework) && u.executorId().equals(executor))
                .map(AgentCall.ExecutorUsage::statistics).findFirst();
    }
}
