package io.tandem.master;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tandem.api.MesosJson;
import io.tandem.api.agent.AgentCall;
import io.tandem.model.AgentId;
import io.tandem.model.FrameworkId;
import io.tandem.model.TaskId;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.Set;

/**
 * {@code GET /monitor/statistics}: the usage statistics of every running task across the cluster, as
 * its agent last reported them (cpu user and system seconds, memory in use and its limit, processes,
 * disk). The shape is the Mesos agent's {@code /monitor/statistics} (a JSON array of
 * {@code framework_id}, {@code executor_id}, {@code source}, {@code statistics}) plus
 * {@code agent_id} and {@code task_id}; {@code statistics} is a Mesos {@code ResourceStatistics} in
 * its JSON form. Mesos's master has no such view, and its {@code Task} message no field for it.
 * Stateless.
 */
final class TaskStatistics {
    static final String PATH = "/monitor/statistics";
    private static final ObjectMapper JSON = new ObjectMapper();

    private TaskStatistics() {}

    /** Only tasks the master still counts as running: a report may be older than a task's end. */
    static String json(ClusterSnapshot s) {
        Set<String> running = new HashSet<>();
        s.tasks().stream().filter(t -> t.state() == io.tandem.model.TaskState.TASK_RUNNING)
                .forEach(t -> running.add(key(t.agentId(), t.frameworkId(), MesosIds.of(t.info().getTaskId()))));
        ArrayNode out = JSON.createArrayNode();
        for (ClusterSnapshot.AgentView agent : s.agents()) {
            AgentId agentId = MesosIds.of(agent.info().getId());
            for (AgentCall.TaskUsage usage : agent.usage()) {
                FrameworkId frameworkId = MesosIds.of(usage.frameworkId());
                TaskId taskId = MesosIds.of(usage.taskId());
                if (running.contains(key(agentId, frameworkId, taskId))) {
                    out.add(entry(agentId, usage));
                }
            }
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(out);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode entry(AgentId agentId, AgentCall.TaskUsage usage) {
        ObjectNode entry = JSON.createObjectNode();
        entry.put("agent_id", agentId.value());
        entry.put("framework_id", usage.frameworkId().getValue());
        entry.put("task_id", usage.taskId().getValue());
        entry.put("executor_id", usage.taskId().getValue());
        entry.put("source", usage.taskId().getValue());
        try {
            JsonNode statistics = JSON.readTree(MesosJson.print(usage.statistics()));
            entry.set("statistics", statistics);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        return entry;
    }

    private static String key(AgentId agent, FrameworkId framework, TaskId task) {
        return agent.value() + "\n" + framework.value() + "\n" + task.value();
    }
}
