package io.tandem.master;

import io.tandem.api.ResourceMapping;
import io.tandem.model.Resources;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.master.Protos.Response;

/**
 * Builds the operator API's answers from a {@link ClusterSnapshot}, off the loop. Stateless.
 */
final class OperatorResponses {
    /**
     * The Mesos version whose API Tandem implements. Frameworks and tools compare {@code
     * master_info.version} and GET_VERSION's version with a minimum Mesos version, so they get this.
     */
    static final String MESOS_API_VERSION = "1.11.0";

    /** Tandem's own version, from the jar's manifest, or "development" when run from classes. */
    static String tandemVersion() {
        String version = OperatorResponses.class.getPackage().getImplementationVersion();
        return version == null ? "development" : version;
    }

    private OperatorResponses() {}

    static Response health() {
        return Response.newBuilder().setType(Response.Type.GET_HEALTH)
                .setGetHealth(Response.GetHealth.newBuilder().setHealthy(true)).build();
    }

    static Response version() {
        return Response.newBuilder().setType(Response.Type.GET_VERSION)
                .setGetVersion(Response.GetVersion.newBuilder().setVersionInfo(Protos.VersionInfo.newBuilder()
                        .setVersion(MESOS_API_VERSION).setBuildUser("tandem")
                        .setGitTag("tandem-" + tandemVersion()))).build();
    }

    static Response state(ClusterSnapshot s) {
        return Response.newBuilder().setType(Response.Type.GET_STATE)
                .setGetState(Response.GetState.newBuilder().setGetAgents(agents(s)).setGetFrameworks(frameworks(s))
                        .setGetTasks(tasks(s)).setGetExecutors(Response.GetExecutors.getDefaultInstance()))
                .build();
    }

    static Response getAgents(ClusterSnapshot s) {
        return Response.newBuilder().setType(Response.Type.GET_AGENTS).setGetAgents(agents(s)).build();
    }

    static Response getFrameworks(ClusterSnapshot s) {
        return Response.newBuilder().setType(Response.Type.GET_FRAMEWORKS).setGetFrameworks(frameworks(s)).build();
    }

    static Response getTasks(ClusterSnapshot s) {
        return Response.newBuilder().setType(Response.Type.GET_TASKS).setGetTasks(tasks(s)).build();
    }

    /**
     * Every role a framework is subscribed to or holds resources under, or with a weight or quota set;
     * each with its weight. Quota is in GET_QUOTA, Tandem's explanation in {@code GET /api/v1/roles/explain}
     * (Mesos's {@code Role} has no field for either).
     */
    static Response getRoles(ClusterSnapshot s) {
        Map<String, Protos.Role.Builder> roles = new TreeMap<>();
        Map<String, Resources> allocated = new LinkedHashMap<>();
        for (ClusterSnapshot.FrameworkView f : s.frameworks()) {
            for (String role : f.roles()) {
                roles.computeIfAbsent(role, name -> role(name, s)).addFrameworks(f.info().getId());
            }
            f.allocatedByRole().forEach((role, r) -> {
                roles.computeIfAbsent(role, name -> role(name, s));
                allocated.merge(role, r, Resources::plus);
            });
        }
        s.roles().weights().keySet().forEach(role -> roles.computeIfAbsent(role, name -> role(name, s)));
        s.roles().quotas().keySet().forEach(role -> roles.computeIfAbsent(role, name -> role(name, s)));
        allocated.forEach((role, r) -> roles.get(role).addAllResources(ResourceMapping.toMesos(r, role)));
        Response.GetRoles.Builder out = Response.GetRoles.newBuilder();
        roles.values().forEach(out::addRoles);
        return Response.newBuilder().setType(Response.Type.GET_ROLES).setGetRoles(out).build();
    }

    private static Protos.Role.Builder role(String name, ClusterSnapshot s) {
        return Protos.Role.newBuilder().setName(name).setWeight(s.roles().weights().getOrDefault(name, 1.0));
    }

    private static Response.GetAgents agents(ClusterSnapshot s) {
        Response.GetAgents.Builder out = Response.GetAgents.newBuilder();
        for (ClusterSnapshot.AgentView a : s.agents()) {
            if (!a.reachable()) {
                continue; // Mesos lists unreachable agents nowhere in GET_AGENTS either.
            }
            Response.GetAgents.Agent.Builder agent = Response.GetAgents.Agent.newBuilder()
                    .setAgentInfo(a.info())
                    .setPid(Agent.pid(a.info(), a.ip()))
                    .setActive(a.connected())
                    .setDeactivated(false)
                    .setVersion(MESOS_API_VERSION)
                    .setRegisteredTime(StatusUpdates.timeInfo(a.registeredAt()))
                    .addAllTotalResources(ResourceMapping.toMesos(a.total(), null))
                    .addAllAllocatedResources(ResourceMapping.toMesos(a.allocated(), null))
                    .addAllOfferedResources(ResourceMapping.toMesos(a.offered(), null));
            a.reregisteredAt().ifPresent(t -> agent.setReregisteredTime(StatusUpdates.timeInfo(t)));
            out.addAgents(agent);
        }
        return out.build();
    }

    private static Response.GetFrameworks frameworks(ClusterSnapshot s) {
        Response.GetFrameworks.Builder out = Response.GetFrameworks.newBuilder();
        s.frameworks().forEach(f -> out.addFrameworks(framework(f, s)));
        s.completedFrameworks().forEach(f -> out.addCompletedFrameworks(framework(f, s)));
        return out.build();
    }

    private static Response.GetFrameworks.Framework framework(ClusterSnapshot.FrameworkView f, ClusterSnapshot s) {
        Resources allocated = f.allocatedByRole().values().stream().reduce(Resources.empty(), Resources::plus);
        Response.GetFrameworks.Framework.Builder out = Response.GetFrameworks.Framework.newBuilder()
                .setFrameworkInfo(f.info())
                .setActive(f.active())
                .setConnected(f.connected())
                .setRecovered(false)
                .setRegisteredTime(StatusUpdates.timeInfo(f.registeredAt()))
                .addAllAllocatedResources(ResourceMapping.toMesos(allocated, null))
                .addAllOfferedResources(ResourceMapping.toMesos(f.offered(), null));
        f.reregisteredAt().ifPresent(t -> out.setReregisteredTime(StatusUpdates.timeInfo(t)));
        f.removedAt().ifPresent(t -> out.setUnregisteredTime(StatusUpdates.timeInfo(t)));
        for (Offer offer : s.offers()) {
            if (offer.frameworkId().value().equals(f.info().getId().getValue())) {
                out.addOffers(offer(offer, s));
            }
        }
        return out.build();
    }

    private static Protos.Offer offer(Offer offer, ClusterSnapshot s) {
        Optional<ClusterSnapshot.AgentView> agent = s.agents().stream()
                .filter(a -> a.info().getId().getValue().equals(offer.agentId().value())).findFirst();
        Protos.Offer.Builder proto = Protos.Offer.newBuilder()
                .setId(MesosIds.proto(offer.id()))
                .setFrameworkId(MesosIds.proto(offer.frameworkId()))
                .setAgentId(MesosIds.proto(offer.agentId()))
                .setHostname(agent.map(a -> a.info().getHostname()).orElse(""))
                .addAllResources(ResourceMapping.toMesos(offer.resources(), offer.role()))
                .setAllocationInfo(Protos.Resource.AllocationInfo.newBuilder().setRole(offer.role()));
        agent.ifPresent(a -> proto.setUrl(Agent.url(a.info(), a.ip())));
        return proto.build();
    }

    private static Response.GetTasks tasks(ClusterSnapshot s) {
        Response.GetTasks.Builder out = Response.GetTasks.newBuilder();
        for (ClusterSnapshot.TaskView t : s.tasks()) {
            if (t.state() == io.tandem.model.TaskState.TASK_UNREACHABLE) {
                out.addUnreachableTasks(task(t));
            } else {
                out.addTasks(task(t));
            }
        }
        s.completedTasks().forEach(t -> out.addCompletedTasks(task(t)));
        return out.build();
    }

    private static Protos.Task task(ClusterSnapshot.TaskView t) {
        Protos.TaskInfo info = t.info();
        Protos.Task.Builder task = Protos.Task.newBuilder()
                .setName(info.getName())
                .setTaskId(info.getTaskId())
                .setFrameworkId(MesosIds.proto(t.frameworkId()))
                .setAgentId(MesosIds.proto(t.agentId()))
                .setState(Protos.TaskState.valueOf(t.state().name()))
                .addAllResources(ResourceMapping.toMesos(t.resources(), t.role()))
                .addStatuses(t.latest())
                .setStatusUpdateState(t.latest().getState());
        if (t.latest().hasUuid()) {
            task.setStatusUpdateUuid(t.latest().getUuid());
        }
        if (info.hasExecutor()) {
            task.setExecutorId(info.getExecutor().getExecutorId());
        }
        if (info.hasLabels()) {
            task.setLabels(info.getLabels());
        }
        if (info.hasKillPolicy()) {
            task.setKillPolicy(info.getKillPolicy());
        }
        return task.build();
    }

    static List<String> supported() {
        return List.of("GET_HEALTH", "GET_VERSION", "GET_STATE", "GET_AGENTS", "GET_FRAMEWORKS", "GET_TASKS",
                "GET_ROLES", "GET_WEIGHTS", "GET_QUOTA", "UPDATE_WEIGHTS", "UPDATE_QUOTA", "RESERVE_RESOURCES",
                "UNRESERVE_RESOURCES", "MARK_AGENT_GONE", "GET_MAINTENANCE_SCHEDULE", "UPDATE_MAINTENANCE_SCHEDULE",
                "GET_MAINTENANCE_STATUS", "START_MAINTENANCE", "STOP_MAINTENANCE");
    }
}
