package io.tandem.master;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tandem.model.TaskState;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.mesos.v1.Protos.ResourceStatistics;

/**
 * {@code GET /tasks/usage}: the master's live tasks (those GET_TASKS lists under {@code tasks} and
 * {@code unreachable_tasks}) with what each used at its agent's last report. Tandem's own JSON,
 * because Mesos's {@code Task} message has no field for usage and a field added to GET_STATE's JSON
 * would break clients that parse Mesos types strictly (master/README.md):
 *
 * <pre>
 * { "taken_at": "...Z", "tasks": [ { "task_id", "name", "framework_id", "framework_name", "agent_id",
 *     "agent": "host:port", "executor_id"?,
 *     "state", "resources": "cpus:1;mem:64",
 *     "usage": null | { "container": "task" | "executor", "taken_at": "...Z", "reported_at": "...Z",
 *                       "statistics": { Mesos ResourceStatistics } } } ] }
 * </pre>
 *
 * {@code usage} is set for a running task (TASK_RUNNING or TASK_KILLING) whose agent reported its
 * container: the task's own, or, for a task of a custom executor, the executor's, which all of that
 * executor's tasks share. {@code taken_at} is when the agent read the statistics, {@code reported_at}
 * when the master received them. Stateless.
 */
final class TasksWithUsage {
    static final String PATH = "/tasks/usage";
    private static final ObjectMapper JSON = new ObjectMapper();

    private TasksWithUsage() {}

    static String json(ClusterSnapshot s) {
        Map<String, ClusterSnapshot.AgentView> agents = new HashMap<>();
        s.agents().forEach(a -> agents.put(a.info().getId().getValue(), a));
        Map<String, String> frameworks = new HashMap<>();
        s.completedFrameworks().forEach(f -> frameworks.put(f.info().getId().getValue(), f.info().getName()));
        s.frameworks().forEach(f -> frameworks.put(f.info().getId().getValue(), f.info().getName()));
        ObjectNode root = JSON.createObjectNode();
        root.put("taken_at", s.takenAt().toString());
        ArrayNode tasks = root.putArray("tasks");
        for (ClusterSnapshot.TaskView t : s.tasks()) {
            ObjectNode task = tasks.addObject();
            task.put("task_id", t.info().getTaskId().getValue());
            task.put("name", t.info().getName());
            task.put("framework_id", t.frameworkId().value());
            task.put("framework_name", frameworks.getOrDefault(t.frameworkId().value(), ""));
            ClusterSnapshot.AgentView agent = agents.get(t.agentId().value());
            task.put("agent_id", t.agentId().value());
            task.put("agent", agent == null ? "" : agent.info().getHostname() + ":" + agent.info().getPort());
            if (t.info().hasExecutor()) {
                task.put("executor_id", t.info().getExecutor().getExecutorId().getValue());
            }
            task.put("state", t.state().name());
            task.put("resources", t.resources().toString());
            task.set("usage", usage(t, agent).orElse(null));
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Optional<ObjectNode> usage(ClusterSnapshot.TaskView t, ClusterSnapshot.AgentView agent) {
        boolean running = t.state() == TaskState.TASK_RUNNING || t.state() == TaskState.TASK_KILLING;
        if (!running || agent == null || !agent.reachable() || agent.usage().reportedAt() == null) {
            return Optional.empty();
        }
        ReportedUsage reported = agent.usage();
        boolean ofExecutor = t.info().hasExecutor();
        Optional<ResourceStatistics> statistics = ofExecutor
                ? reported.ofExecutor(MesosIds.proto(t.frameworkId()), t.info().getExecutor().getExecutorId())
                : reported.ofTask(MesosIds.proto(t.frameworkId()), t.info().getTaskId());
        return statistics.map(stats -> {
            ObjectNode usage = JSON.createObjectNode();
            usage.put("container", ofExecutor ? "executor" : "task");
            usage.put("taken_at", Instant.ofEpochMilli(Math.round(stats.getTimestamp() * 1000)).toString());
            usage.put("reported_at", reported.reportedAt().toString());
            usage.set("statistics", TaskStatistics.statistics(stats));
            return usage;
        });
    }
}
