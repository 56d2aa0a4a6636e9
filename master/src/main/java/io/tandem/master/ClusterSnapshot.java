package io.tandem.master;

import io.tandem.model.AgentId;
import io.tandem.model.FrameworkId;
import io.tandem.model.Resources;
import io.tandem.model.TaskState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.mesos.v1.Protos.AgentInfo;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.MasterInfo;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskStatus;

/**
 * An immutable copy of what the master knows, taken on the loop in one step so that the operator
 * API can build and encode its answers on other threads. It holds only immutable values (records,
 * {@link Resources}, protobuf messages), so taking it is cheap.
 */
record ClusterSnapshot(Instant takenAt, MasterInfo master, List<AgentView> agents, List<FrameworkView> frameworks,
                       List<FrameworkView> completedFrameworks, List<TaskView> tasks, List<TaskView> completedTasks,
                       List<Offer> offers) {

    record AgentView(AgentInfo info, String ip, boolean reachable, boolean connected, Instant registeredAt,
                     Optional<Instant> reregisteredAt, Resources total, Resources allocated, Resources offered) {}

    record FrameworkView(FrameworkInfo info, Set<String> roles, boolean active, boolean connected,
                         Instant registeredAt, Optional<Instant> reregisteredAt, Optional<Instant> removedAt,
                         Map<String, Resources> allocatedByRole, Resources offered) {}

    record TaskView(FrameworkId frameworkId, AgentId agentId, String role, TaskInfo info, TaskState state,
                    TaskStatus latest, Resources resources) {}

    /** Copies the master's state; must run on the master loop thread. */
    static ClusterSnapshot take(MasterContext ctx) {
        List<AgentView> agents = new ArrayList<>();
        for (Agent a : ctx.agents().all()) {
            Resources offered = ctx.offers().onAgent(a.id()).stream().map(Offer::resources)
                    .reduce(Resources.empty(), Resources::plus);
            Resources allocated = a.isReachable() ? a.total().minus(ctx.allocator().available(a.id())) : Resources.empty();
            agents.add(new AgentView(a.info(), a.ip(), a.isReachable(), a.isConnected(), a.registeredAt(),
                    a.reregisteredAt(), a.total(), allocated, offered));
        }
        List<FrameworkView> frameworks = new ArrayList<>();
        for (Framework f : ctx.frameworks().all()) {
            frameworks.add(new FrameworkView(f.info(), f.roles(), f.isConnected(), f.isConnected(), f.registeredAt(),
                    f.reregisteredAt(), Optional.empty(), allocatedByRole(ctx, f.id()),
                    ctx.offers().ofFramework(f.id()).stream().map(Offer::resources)
                            .reduce(Resources.empty(), Resources::plus)));
        }
        List<FrameworkView> completed = ctx.frameworks().completed().stream()
                .map(c -> new FrameworkView(c.info(), Framework.rolesOf(c.info()), false, false, c.registeredAt(),
                        Optional.empty(), Optional.of(c.removedAt()), Map.of(), Resources.empty()))
                .toList();
        return new ClusterSnapshot(ctx.now(), ctx.masterInfo(), agents, frameworks, completed,
                ctx.tasks().all().stream().map(ClusterSnapshot::view).toList(),
                ctx.tasks().completed().stream().map(ClusterSnapshot::view).toList(),
                List.copyOf(ctx.offers().all()));
    }

    private static Map<String, Resources> allocatedByRole(MasterContext ctx, FrameworkId id) {
        Map<String, Resources> byRole = new LinkedHashMap<>();
        for (AgentId agent : ctx.allocator().allocated(id).keySet()) {
            ctx.allocator().allocated(id, agent).forEach((role, r) -> byRole.merge(role, r, Resources::plus));
        }
        return byRole;
    }

    private static TaskView view(Task t) {
        return new TaskView(t.frameworkId(), t.agentId(), t.role(), t.info(), t.state(), t.latestStatus(), t.resources());
    }
}
