package io.tandem.agent;

import io.tandem.agent.isolation.Container;
import io.tandem.agent.isolation.Isolation;
import io.tandem.api.agent.AgentCall;
import java.time.InstantSource;
import java.util.List;
import org.apache.mesos.v1.Protos.ContainerID;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.agent.Protos.Response;

/**
 * Usage statistics of the running command tasks' containers, for the operator API's
 * {@code GET_CONTAINERS} and the periodic report to the master. {@link #running} takes a snapshot
 * on the agent loop; the reads ({@link #containers}, {@link #report}) block on cgroup files and
 * walk no directories (disk use is the last {@code disk/du} measurement), so they run off the loop.
 */
final class ContainerUsage {
    private final Isolation isolation;
    private final InstantSource clock;

    /** A running command task and its container. */
    record Running(FrameworkID frameworkId, TaskID taskId, Container container) {}

    ContainerUsage(Isolation isolation, InstantSource clock) {
        this.isolation = isolation;
        this.clock = clock;
    }

    /** The command tasks that run in a container now. Call on the agent loop. */
    static List<Running> running(TaskTable tasks) {
        return tasks.all().stream().filter(t -> t.container != null && !t.isTerminal())
                .map(t -> new Running(t.key.frameworkId(), t.key.taskId(), t.container)).toList();
    }

    /**
     * Mesos's {@code GET_CONTAINERS}: a command task's executor is the task itself (as with Mesos's
     * command executor), its container id the container's name below the agent.
     */
    Response.GetContainers containers(List<Running> running) {
        Response.GetContainers.Builder containers = Response.GetContainers.newBuilder();
        for (Running task : running) {
            containers.addContainers(Response.GetContainers.Container.newBuilder()
                    .setFrameworkId(task.frameworkId())
                    .setExecutorId(ExecutorID.newBuilder().setValue(task.taskId().getValue()))
                    .setExecutorName("Command Executor (Task: " + task.taskId().getValue() + ")")
                    .setContainerId(ContainerID.newBuilder().setValue(containerId(task.container())))
                    .setResourceStatistics(isolation.usage(task.container(), clock.instant())));
        }
        return containers.build();
    }

    /** The usage part of the periodic report. */
    List<AgentCall.TaskUsage> report(List<Running> running) {
        return running.stream().map(task -> new AgentCall.TaskUsage(task.frameworkId(), task.taskId(),
                isolation.usage(task.container(), clock.instant()))).toList();
    }

    private static String containerId(Container container) {
        String name = container.name();
        return name.substring(name.indexOf('/') + 1);
    }
}
