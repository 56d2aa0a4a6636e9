package io.tandem.cli;

import io.tandem.agent.process.Sandboxes;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.mesos.v1.Protos.Task;
import org.apache.mesos.v1.master.Protos.Response;

/**
 * Finds where a task's sandbox is from a master's GET_STATE: its agent (by the agent's pid,
 * {@code slave(1)@ip:port}, else its hostname and port) and the file API's short path of the
 * sandbox (the executor's for a task run by an executor). Refusals say what is wrong.
 *
 * <p>Stateless.
 */
final class TaskLocator {
    private TaskLocator() {}

    /** A task and where its files are. */
    record Location(String taskId, String frameworkId, String agentId, URI agentUrl, String sandbox, Task task) {
        boolean terminal() {
            return io.tandem.model.TaskState.valueOf(task.getState().name()).isTerminal();
        }
    }

    /**
     * The task {@code taskId} (of {@code frameworkId}, when given) in {@code state}: a running one
     * before an unreachable one before a completed one.
     *
     * @throws IllegalStateException naming the problem: no such task, an id several frameworks
     *     use, an agent the master no longer lists
     */
    static Location locate(Response.GetState state, String taskId, String frameworkId) {
        List<Task> matches = Stream.of(state.getGetTasks().getTasksList(),
                        state.getGetTasks().getUnreachableTasksList(), state.getGetTasks().getCompletedTasksList())
                .flatMap(List::stream)
                .filter(t -> t.getTaskId().getValue().equals(taskId))
                .filter(t -> frameworkId == null || t.getFrameworkId().getValue().equals(frameworkId))
                .toList();
        if (matches.isEmpty()) {
            throw new IllegalStateException("no task " + taskId
                    + (frameworkId == null ? "" : " of framework " + frameworkId) + " in the cluster");
        }
        List<String> frameworks = matches.stream().map(t -> t.getFrameworkId().getValue()).distinct().sorted().toList();
        if (frameworks.size() > 1) {
            throw new IllegalStateException("task id " + taskId + " is used by frameworks "
                    + String.join(", ", frameworks) + "; choose one with --framework");
        }
        Task task = matches.getFirst();
        String agentId = task.getAgentId().getValue();
        URI agent = agentUrl(state, agentId).orElseThrow(() -> new IllegalStateException("task " + taskId
                + " ran on agent " + agentId + ", which the master no longer lists (removed or unreachable),"
                + " so its sandbox cannot be read"));
        String framework = task.getFrameworkId().getValue();
        String sandbox = task.hasExecutorId()
                ? Sandboxes.virtualPathOfExecutor(framework, task.getExecutorId().getValue())
                : Sandboxes.virtualPathOfTask(framework, taskId);
        return new Location(taskId, framework, agentId, agent, sandbox, task);
    }

    private static Optional<URI> agentUrl(Response.GetState state, String agentId) {
        for (Response.GetAgents.Agent agent : state.getGetAgents().getAgentsList()) {
            if (agent.getAgentInfo().getId().getValue().equals(agentId)) {
                String pid = agent.getPid();
                int at = pid.indexOf('@');
                String address = at >= 0 ? pid.substring(at + 1)
                        : agent.getAgentInfo().getHostname() + ":" + agent.getAgentInfo().getPort();
                return Optional.of(URI.create("http://" + address));
            }
        }
        return Optional.empty();
    }
}
