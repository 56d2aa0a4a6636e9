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

    @SuppressWarnings("deprecation")   // pending tasks: older masters still report them
    static String tasks(Response.GetState state) {
        Map<String, String> frameworkNames = new HashMap<>();
        List<Response.GetFrameworks.Framework> known = new ArrayList<>(state.getGetFrameworks().getFrameworksList());
        known.addAll(state.getGetFrameworks().getCompletedFrameworksList());   // tasks outlive their framework here
        known.forEach(f -> frameworkNames.put(f.getFrameworkInfo().getId().getValue(), f.getFrameworkInfo().getName()));
        Map<String, String> hostnames = new HashMap<>();
        state.getGetAgents().getAgentsList().forEach(a ->
                hostnames.put(a.getAgentInfo().getId().getValue(), a.getAgentInfo().getHostname()));
        Response.GetTasks tasks = state.getGetTasks();
        List<Task> all = new ArrayList<>(tasks.getPendingTasksList());
        all.addAll(tasks.getTasksList());
        all.addAll(tasks.getUnreachableTasksList());
        all.addAll(tasks.getCompletedTasksList());
        StateTable table = new StateTable("TASKS", "ID", "FRAMEWORK", "AGENT", "STATE");
        for (Task task : all) {
            String framework = task.getFrameworkId().getValue();
            String agent = task.getAgentId().getValue();
            table.row(task.getTaskId().getValue(), frameworkNames.getOrDefault(framework, framework),
                    hostnames.getOrDefault(agent, agent), task.getState().name());
        }
        return table.render();
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
