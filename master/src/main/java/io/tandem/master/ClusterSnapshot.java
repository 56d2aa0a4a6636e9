package io.tandem.master;

import io.tandem.allocator.Quota;
import io.tandem.allocator.RoleSummary;
import io.tandem.master.maintenance.MachineId;
import io.tandem.master.maintenance.MaintenanceState;
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
import org.apache.mesos.v1.allocator.Protos.InverseOfferStatus;

/**
 * An immutable copy of what the master knows, taken on the loop in one step so that the operator
 * API can build and encode its answers on other threads. It holds only immutable values (records,
 * {@link Resources}, protobuf messages), so taking it is cheap.
 */
record ClusterSnapshot(Instant takenAt, MasterInfo master, List<AgentView> agents, List<FrameworkView> frameworks,
                       List<FrameworkView> completedFrameworks, List<TaskView> tasks, List<TaskView> completedTasks,
                       List<Offer> offers, RolesView roles, MaintenanceView maintenance) {

    /** The maintenance schedule and modes, and each DRAINING machine's answers from frameworks. */
    record MaintenanceView(MaintenanceState state, Map<MachineId, List<InverseOfferStatus>> statuses) {}

    /**
     * The allocator's view of roles.
     *
     * @param weights roles whose weight was set (every other weighs 1.0)
     * @param quotas role -> quota
     * @param summaries every role with its allocation, share, weight, quota, frameworks and their demand
     * @param quotaWarnings guarantees the cluster as it stands cannot meet
     * @param policy the fair-share policy ({@code drf}, {@code mmf}) and, for mmf, the resource it shares
     * @param cluster the scalars of every reachable agent, summed
     */
    record RolesView(Map<String, Double> weights, Map<String, Quota> quotas, List<RoleSummary> summaries,
                     List<String> quotaWarnings, String policy, String fairShareResource, Resources cluster) {}

    record AgentView(AgentInfo info, String ip, boolean reachable, boolean connected, Instant registeredAt,
                     Optional<Instant> reregisteredAt, Resources total, Resources allocated, Resources offered,
                     ReportedUsage usage) {}

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
            // The allocator's total has the agent's dynamic reservations; the agent reported them unreserved.
            Resources total = a.isReachable() ? ctx.allocator().total(a.id()) : a.total();
            Resources allocated = a.isReachable() ? total.minus(ctx.allocator().available(a.id())) : Resources.empty();
            agents.add(new AgentView(a.info(), a.ip(), a.isReachable(), a.isConnected(), a.registeredAt(),
                    a.reregisteredAt(), total, allocated, offered, a.usage()));
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
                List.copyOf(ctx.offers().all()), roles(ctx),
                new MaintenanceView(ctx.maintenance().state(), ctx.maintenance().statuses()));
    }

    private static RolesView roles(MasterContext ctx) {
        return new RolesView(Map.copyOf(ctx.allocator().weights()), Map.copyOf(ctx.allocator().quotas()),
                List.copyOf(ctx.allocator().roles()), List.copyOf(ctx.allocator().quotaWarnings()),
                ctx.config().allocator(), ctx.config().fairShareResource(), ctx.allocator().clusterScalars());
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
