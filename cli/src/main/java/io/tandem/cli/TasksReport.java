package io.tandem.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * Renders the master's {@code GET /tasks/usage} answer as one table: each live task with what its
 * container used at its agent's last report (cpu seconds, memory against its limit, processes, disk)
 * and how old that reading was when the master answered. Pure: a function of the answer.
 */
final class TasksReport {
    private static final double MB = 1024 * 1024;

    private TasksReport() {}

    static String render(JsonNode answer) {
        Instant answeredAt = instant(answer.path("taken_at").asText());
        StateTable table = new StateTable("TASKS", "ID", "FRAMEWORK", "AGENT", "STATE", "CPU S (USR/SYS)",
                "MEM MB (USED/LIMIT)", "PROCS", "DISK MB (USED/LIMIT)", "AGE");
        boolean shared = false;
        for (JsonNode task : answer.path("tasks")) {
            JsonNode usage = task.path("usage");
            String framework = task.path("framework_name").asText().isBlank() ? task.path("framework_id").asText()
                    : task.path("framework_name").asText() + " (" + suffix(task.path("framework_id").asText()) + ")";
            String agent = task.path("agent").asText().isBlank() ? task.path("agent_id").asText() : task.path("agent").asText();
            if (!usage.isObject()) {
                table.row(task.path("task_id").asText(), framework, agent, task.path("state").asText(),
                        "-", "-", "-", "-", "-");
                continue;
            }
            JsonNode s = usage.path("statistics");
            boolean executor = "executor".equals(usage.path("container").asText());
            shared |= executor;
            table.row(task.path("task_id").asText(), framework, agent, task.path("state").asText(),
                    seconds(s.path("cpus_user_time_secs")) + "/" + seconds(s.path("cpus_system_time_secs"))
                            + (executor ? " *" : ""),
                    pair(s.path("mem_total_bytes").isMissingNode() ? s.path("mem_rss_bytes") : s.path("mem_total_bytes"),
                            s.path("mem_limit_bytes")),
                    s.has("processes") ? s.path("processes").asText() : "-",
                    pair(s.path("disk_used_bytes"), s.path("disk_limit_bytes")),
                    age(instant(usage.path("taken_at").asText()), answeredAt));
        }
        String text = table.render();
        return shared ? text + "* the task's executor's container, shared by all its tasks\n" : text;
    }

    /** {@code hello (0003)}: the last {@code -}-separated part of an id, as {@code tandem state} shows it. */
    private static String suffix(String id) {
        String suffix = id.substring(id.lastIndexOf('-') + 1);
        return suffix.isEmpty() ? id : suffix;
    }

    private static String seconds(JsonNode value) {
        return value.isNumber() ? round(value.asDouble(), 2) : "-";
    }

    /** {@code 12.5/64}: megabytes used and the limit; {@code -} for what the agent did not report. */
    private static String pair(JsonNode used, JsonNode limit) {
        return (used.isNumber() ? round(used.asDouble() / MB, 1) : "-") + "/"
                + (limit.isNumber() ? round(limit.asDouble() / MB, 1) : "-");
    }

    private static String round(double value, int scale) {
        return BigDecimal.valueOf(value).setScale(scale, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }

    /** How long before the master's answer the agent read the statistics: {@code 1.2s}. */
    private static String age(Instant takenAt, Instant answeredAt) {
        if (takenAt == null || answeredAt == null) {
            return "-";
        }
        Duration age = Duration.between(takenAt, answeredAt);
        return round(Math.max(0, age.toMillis()) / 1000.0, 1) + "s";
    }

    private static Instant instant(String text) {
        try {
            return text.isBlank() ? null : Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
