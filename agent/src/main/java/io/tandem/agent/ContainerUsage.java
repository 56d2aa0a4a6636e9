package io.tandem.agent;

import io.tandem.agent.isolation.Container;
import io.tandem.agent.isolation.Isolation;
import io.tandem.api.agent.AgentCall;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.mesos.v1.Protos.ContainerID;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.ResourceStatistics;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.agent.Protos.Response;

/**
 * Usage statistics of the running containers, command tasks' and custom executors' alike, for the
 * operator API's {@code GET_CONTAINERS} and the periodic report to the master. {@link #running}
 * takes a snapshot on the agent loop; the reads ({@link #containers}, {@link #report}) block on
 * cgroup files and walk no directories (disk use is the last {@code disk/du} measurement), so they
 * run off the loop.
 */
final class ContainerUsage {
    private final Isolation isolation;
    private final InstantSource clock;

    /**
     * A running container. A command task's executor is the task itself (as with Mesos's command
     * executor), so {@code taskId} is set; a custom executor's container has no task of its own
     * ({@code taskId} null): its usage is shared by every task the executor runs.
     */
    record Running(FrameworkID frameworkId, ExecutorID executorId, String executorName, TaskID taskId,
                   ContainerID containerId, Container container) {
        boolean isExecutor() {
            return taskId == null;
        }
    }

    ContainerUsage(Isolation isolation, InstantSource clock) {
        this.isolation = isolation;
        this.clock = clock;
    }

    /** The command tasks that run in a container now. Call on the agent loop. */
    static List<Running> running(TaskTable tasks) {
        return running(tasks, List.of());
    }

    /** The command tasks and custom executors that run in a container now. Call on the agent loop. */
    static List<Running> running(TaskTable tasks, Collection<ExecutorRecord> executors) {
        List<Running> running = new ArrayList<>();
        tasks.all().stream().filter(t -> t.container != null && !t.isTerminal()).forEach(t -> running.add(
                new Running(t.key.frameworkId(), ExecutorID.newBuilder().setValue(t.key.taskId().getValue()).build(),
                        "Command Executor (Task: " + t.key.taskId().getValue() + ")", t.key.taskId(),
                        ContainerID.newBuilder().setValue(containerId(t.container)).build(), t.container)));
        executors.stream().filter(e -> e.container != null && !e.isEnding()).forEach(e -> running.add(
                new Running(e.key.frameworkId(), e.key.executorId(), e.info.getName(), null, e.containerId,
                        e.container)));
        return running;
    }

    /** Mesos's {@code GET_CONTAINERS}: one entry per running container. */
    Response.GetContainers containers(List<Running> running) {
        Response.GetContainers.Builder containers = Response.GetContainers.newBuilder();
        for (Running r : running) {
            Response.GetContainers.Container.Builder container = Response.GetContainers.Container.newBuilder()
                    .setFrameworkId(r.frameworkId())
                    .setExecutorId(r.executorId())
                    .setContainerId(r.containerId())
                    .setResourceStatistics(statistics(r));
            if (!r.executorName().isEmpty()) {
                container.setExecutorName(r.executorName());
            }
            containers.addContainers(container);
        }
        return containers.build();
    }

    /** The periodic report: {@code used}, with each running container's usage. */
    AgentCall.Report report(List<Resource> used, List<Running> running) {
        List<AgentCall.TaskUsage> tasks = new ArrayList<>();
        List<AgentCall.ExecutorUsage> executors = new ArrayList<>();
        for (Running r : running) {
            if (r.isExecutor()) {
                executors.add(new AgentCall.ExecutorUsage(r.frameworkId(), r.executorId(), statistics(r)));
            } else {
                tasks.add(new AgentCall.TaskUsage(r.frameworkId(), r.taskId(), statistics(r)));
            }
        }
        return new AgentCall.Report(used, tasks, executors);
    }

    private ResourceStatistics statistics(Running r) {
        return isolation.usage(r.container(), clock.instant());
    }

    /** A command task's container id: its container's name below the agent. */
    private static String containerId(Container container) {
        String name = container.name();
        return name.substring(name.indexOf('/') + 1);
    }
}
