package io.tandem.agent;

import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.Task;
import org.apache.mesos.v1.agent.Protos.Response;

/**
 * The agent operator API's views of the agent (Mesos {@code agent.Response}): tasks, executors,
 * frameworks. Built on the agent loop thread from the {@link Supervisor}'s state.
 */
final class OperatorState {
    private final Supervisor supervisor;

    OperatorState(Supervisor supervisor) {
        this.supervisor = supervisor;
    }

    Response.GetState state() {
        return Response.GetState.newBuilder()
                .setGetTasks(tasks())
                .setGetExecutors(executors())
                .setGetFrameworks(frameworks())
                .build();
    }

    Response.GetTasks tasks() {
        Response.GetTasks.Builder tasks = Response.GetTasks.newBuilder();
        AgentID agentId = supervisor.agentId();
        var queued = supervisor.executors().all().stream()
                .flatMap(e -> e.queued.keySet().stream())
                .collect(java.util.stream.Collectors.toSet());
        for (TaskRecord task : supervisor.tasks().all()) {
            Task view = view(task, agentId);
            if (task.isTerminal()) {
                tasks.addTerminatedTasks(view);
            } else if (queued.contains(task.key)) {
                tasks.addQueuedTasks(view);
            } else {
                tasks.addLaunchedTasks(view);
            }
        }
        return tasks.build();
    }

    Response.GetExecutors executors() {
        Response.GetExecutors.Builder executors = Response.GetExecutors.newBuilder();
        for (ExecutorRecord executor : supervisor.executors().all()) {
            executors.addExecutors(Response.GetExecutors.Executor.newBuilder()
                    .setExecutorInfo(executor.info.toBuilder().setFrameworkId(executor.key.frameworkId())));
        }
        return executors.build();
    }

    Response.GetFrameworks frameworks() {
        Response.GetFrameworks.Builder frameworks = Response.GetFrameworks.newBuilder();
        supervisor.frameworks().values().forEach(f ->
                frameworks.addFrameworks(Response.GetFrameworks.Framework.newBuilder().setFrameworkInfo(f)));
        return frameworks.build();
    }

    /** The running command tasks' and executors' containers, for GET_CONTAINERS. */
    java.util.List<ContainerUsage.Running> runningContainers() {
        return ContainerUsage.running(supervisor.tasks(), supervisor.executors().all());
    }

    Response.GetAgent agent() {
        return Response.GetAgent.newBuilder().setAgentInfo(supervisor.agentInfo()).build();
    }

    private static Task view(TaskRecord task, AgentID agentId) {
        Task.Builder view = Task.newBuilder()
                .setName(task.task.getName())
                .setTaskId(task.key.taskId())
                .setFrameworkId(task.key.frameworkId())
                .setState(task.state())
                .addAllResources(task.task.getResourcesList());
        if (agentId != null) {
            view.setAgentId(agentId);
        }
        if (task.executorId != null) {
            view.setExecutorId(task.executorId);
        }
        if (task.latest != null) {
            view.addStatuses(task.latest);
        }
        if (task.task.hasKillPolicy()) {
            view.setKillPolicy(task.task.getKillPolicy());
        }
        return view.build();
    }
}
