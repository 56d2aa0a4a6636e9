package io.tandem.cli;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.Task;
import org.apache.mesos.v1.master.Protos.Response;

/**
 * Renders an operator API {@code GET_STATE} answer as three tables: agents (with used/total CPUs,
 * memory and disk), frameworks (with their number of live tasks) and tasks. Pure: a function of
 * the response.
 */
final class StateReport {
    private static final List<String> SCALARS = List.of("cpus", "mem", "disk");

    private StateReport() {}

    static String render(Response.GetState state) {
        return agents(state) + "\n" + frameworks(state) + "\n" + tasks(state);
    }

    static String agents(Response.GetState state) {
        StateTable table = new StateTable("AGENTS", "ID", "HOST", "ACTIVE", "CPUS (USED/TOTAL)", "MEM MB", "DISK MB");
        for (Response.GetAgents.Agent agent : state.getGetAgents().getAgentsList()) {
            Map<String, BigDecimal> total = scalars(agent.getTotalResourcesList());
            Map<String, BigDecimal> used = scalars(agent.getAllocatedResourcesList());
            List<String> cells = new ArrayList<>(List.of(agent.getAgentInfo().getId().getValue(),
                    agent.getAgentInfo().getHostname() + ":" + agent.getAgentInfo().getPort(),
                    yesNo(agent.getActive())));
            for (String name : SCALARS) {
                cells.add(amount(used.get(name)) + "/" + amount(total.get(name)));
            }
            table.row(cells.toArray(String[]::new));
        }
        return table.render();
    }

    static String frameworks(Response.GetState state) {
        Map<String, Integer> liveTasks = new HashMap<>();
        for (Task task : state.getGetTasks().getTasksList()) {
            liveTasks.merge(task.getFrameworkId().getValue(), 1, Integer::sum);
        }
        StateTable table = new StateTable("FRAMEWORKS", "ID", "NAME", "ROLES", "ACTIVE", "TASKS");
        for (Response.GetFrameworks.Framework framework : state.getGetFrameworks().getFrameworksList()) {
            FrameworkInfo info = framework.getFrameworkInfo();
            table.row(info.getId().getValue(), info.getName(), roles(info), yesNo(framework.getActive()),
                    String.valueOf(liveTasks.getOrDefault(info.getId().getValue(), 0)));
        }
        return table.render();
    }

    /**
     * Every task, its framework as {@code name (id suffix)} and its agent as {@code host:port}, so
     * that two runs with the same name, or two agents on one host, can be told apart.
     */
    @SuppressWarnings("deprecation")   // pending tasks: older masters still report them
    static String tasks(Response.GetState state) {
        Map<String, String> frameworks = new HashMap<>();
        List<Response.GetFrameworks.Framework> known = new ArrayList<>(state.getGetFrameworks().getFrameworksList());
        known.addAll(state.getGetFrameworks().getCompletedFrameworksList());   // tasks outlive their framework here
        known.forEach(f -> frameworks.put(f.getFrameworkInfo().getId().getValue(), frameworkLabel(f.getFrameworkInfo())));
        Map<String, String> agents = new HashMap<>();
        state.getGetAgents().getAgentsList().forEach(a -> agents.put(a.getAgentInfo().getId().getValue(),
                a.getAgentInfo().getHostname() + ":" + a.getAgentInfo().getPort()));
        Response.GetTasks tasks = state.getGetTasks();
        List<Task> all = new ArrayList<>(tasks.getPendingTasksList());
        all.addAll(tasks.getTasksList());
        all.addAll(tasks.getUnreachableTasksList());
        all.addAll(tasks.getCompletedTasksList());
        StateTable table = new StateTable("TASKS", "ID", "FRAMEWORK", "AGENT", "STATE");
        for (Task task : all) {
            String framework = task.getFrameworkId().getValue();
            String agent = task.getAgentId().getValue();
            table.row(task.getTaskId().getValue(), frameworks.getOrDefault(framework, framework),
                    agents.getOrDefault(agent, agent.isEmpty() ? "-" : agent), task.getState().name());
        }
        return table.render();
    }

    /**
     * {@code hello (0003)}: the name and the last {@code -}-separated segment of the id (a Mesos or
     * Tandem master numbers its frameworks there); the whole id when it has no such segment.
     */
    static String frameworkLabel(FrameworkInfo info) {
        String id = info.getId().getValue();
        String suffix = id.substring(id.lastIndexOf('-') + 1);
        if (suffix.isEmpty()) {
            suffix = id;
        }
        return info.getName().isBlank() ? id : info.getName() + " (" + suffix + ")";
    }

    @SuppressWarnings("deprecation")   // the single role of frameworks that predate MULTI_ROLE
    private static String roles(FrameworkInfo info) {
        if (info.getRolesCount() > 0) {
            return String.join(",", info.getRolesList());
        }
        return info.hasRole() ? info.getRole() : "*";
    }

    /** Sums of the scalar resources by name, over every role and reservation. */
    static Map<String, BigDecimal> scalars(List<Resource> resources) {
        Map<String, BigDecimal> sums = new HashMap<>();
        for (Resource r : resources) {
            if (r.hasScalar()) {
                sums.merge(r.getName(), BigDecimal.valueOf(r.getScalar().getValue()), BigDecimal::add);
            }
        }
        return sums;
    }

    /** Mesos counts in thousandths: {@code 0.5}, {@code 8192}, {@code 0}. */
    static String amount(BigDecimal value) {
        if (value == null) {
            return "0";
        }
        return value.setScale(3, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }

    private static String yesNo(boolean value) {
        return value ? "yes" : "no";
    }
}
