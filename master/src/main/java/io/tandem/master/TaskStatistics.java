package io.tandem.master;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tandem.api.MesosJson;
import io.tandem.api.agent.AgentCall;
import io.tandem.model.AgentId;
import io.tandem.model.TaskState;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.Set;
import org.apache.mesos.v1.Protos.ResourceStatistics;

/**
 * {@code GET /monitor/statistics}: the usage statistics of every running container across the
 * cluster, as its agent last reported them (cpu user and system seconds, memory in use and its
 * limit, processes, disk). The shape is the Mesos agent's {@code /monitor/statistics} (a JSON array
 * of {@code framework_id}, {@code executor_id}, {@code source}, {@code statistics}) plus
 * {@code agent_id}, and {@code task_id} for a command task (whose executor id is the task's id, as
 * with Mesos's command executor); a custom executor's entry has no task, its usage being that of all
 * its tasks. {@code statistics} is a Mesos {@code ResourceStatistics} in its JSON form. Mesos's
 * master has no such view. Stateless.
 */
final class TaskStatistics {
    static final String PATH = "/monitor/statistics";
    private static final ObjectMapper JSON = new ObjectMapper();

    private TaskStatistics() {}

    /**
     * Only containers of tasks the master still counts as running (a report may be older than a
     * task's end): a command task that is, an executor one of whose tasks is.
     */
    static String json(ClusterSnapshot s) {
        Set<String> running = new HashSet<>();
        s.tasks().stream().filter(t -> t.state() == TaskState.TASK_RUNNING).forEach(t -> running.add(
                key(t.agentId().value(), t.frameworkId().value(), t.info().hasExecutor()
                        ? "executor:" + t.info().getExecutor().getExecutorId().getValue()
                        : "task:" + t.info().getTaskId().getValue())));
        ArrayNode out = JSON.createArrayNode();
        for (ClusterSnapshot.AgentView agent : s.agents()) {
            AgentId agentId = MesosIds.of(agent.info().getId());
            for (AgentCall.TaskUsage usage : agent.usage().tasks()) {
                String id = usage.taskId().getValue();
                if (running.contains(key(agentId.value(), usage.frameworkId().getValue(), "task:" + id))) {
                    out.add(entry(agentId, usage.frameworkId().getValue(), id, usage.statistics()).put("task_id", id));
                }
            }
            for (AgentCall.ExecutorUsage usage : agent.usage().executors()) {
                String id = usage.executorId().getValue();
                if (running.contains(key(agentId.value(), usage.frameworkId().getValue(), "executor:" + id))) {
                    out.add(entry(agentId, usage.frameworkId().getValue(), id, usage.statistics()));
                }
            }
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(out);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode entry(AgentId agentId, String frameworkId, String executorId,
                                    ResourceStatistics statistics) {
        ObjectNode entry = JSON.createObjectNode();
        entry.put("agent_id", agentId.value());
        entry.put("framework_id", frameworkId);
        entry.put("executor_id", executorId);
        entry.put("source", executorId);
        entry.set("statistics", statistics(statistics));
        return entry;
    }

    /** A Mesos {@code ResourceStatistics} in its JSON form. */
    static JsonNode statistics(ResourceStatistics statistics) {
        try {
            return JSON.readTree(MesosJson.print(statistics));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String key(String agent, String framework, String container) {
        return agent + "\n" + framework + "\n" + container;
    }
}
