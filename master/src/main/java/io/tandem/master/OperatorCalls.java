package io.tandem.master;

import io.tandem.api.ResourceMapping;
import io.tandem.model.AgentId;
import io.tandem.model.Resource;
import io.tandem.model.Resources;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.master.Protos.Call;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator calls that change the master: UPDATE_WEIGHTS, UPDATE_QUOTA, RESERVE_RESOURCES and
 * UNRESERVE_RESOURCES (MARK_AGENT_GONE, also a change, is the agents' business: {@code AgentLifecycle}). Each checks all of its input first and refuses it whole with a 400 naming the
 * problem, so a refused call changes nothing.
 *
 * <p>Owned by the master loop thread.
 */
final class OperatorCalls {
    private static final Logger log = LoggerFactory.getLogger(OperatorCalls.class);

    /** The calls handled here; every other operator call only reads. */
    static final Set<Call.Type> CHANGES = EnumSet.of(Call.Type.UPDATE_WEIGHTS, Call.Type.UPDATE_QUOTA,
            Call.Type.RESERVE_RESOURCES, Call.Type.UNRESERVE_RESOURCES, Call.Type.MARK_AGENT_GONE,
            Call.Type.UPDATE_MAINTENANCE_SCHEDULE, Call.Type.START_MAINTENANCE, Call.Type.STOP_MAINTENANCE);

    private final MasterContext ctx;
    private final Allocation allocation;

    OperatorCalls(MasterContext ctx, Allocation allocation) {
        this.ctx = ctx;
        this.allocation = allocation;
    }

    CallResult handle(Call call) {
        try {
            return switch (call.getType()) {
                case UPDATE_WEIGHTS -> updateWeights(call.getUpdateWeights());
                case UPDATE_QUOTA -> updateQuota(call.getUpdateQuota());
                case RESERVE_RESOURCES -> reserve(call.getReserveResources());
                case UNRESERVE_RESOURCES -> unreserve(call.getUnreserveResources());
                default -> CallResult.badRequest("Operator call " + call.getType() + " does not change the master");
            };
        } catch (IllegalArgumentException e) {
            return CallResult.badRequest("Invalid " + call.getType() + ": " + e.getMessage());
        }
    }

    /** Mesos answers UPDATE_WEIGHTS with 200 OK; a role's weight divides its dominant share. */
    private CallResult updateWeights(Call.UpdateWeights update) {
        Map<String, Double> weights = new LinkedHashMap<>();
        for (Protos.WeightInfo info : update.getWeightInfosList()) {
            if (!info.hasWeight()) {
                throw new IllegalArgumentException("role '" + info.getRole() + "' has no weight");
            }
            if (weights.put(info.getRole(), info.getWeight()) != null) {
                throw new IllegalArgumentException("role '" + info.getRole() + "' is named twice");
            }
        }
        ctx.allocator().setWeights(weights); // all or none; names the bad role or weight
        log.info("Operator set role weights {}", weights);
        allocation.request();
        return CallResult.ok();
    }

    /** Mesos 1.9's UPDATE_QUOTA: all configs or none; an empty config removes the role's quota. */
    private CallResult updateQuota(Call.UpdateQuota update) {
        QuotaUpdate checked = QuotaUpdate.read(update.getQuotaConfigsList());
        if (!update.getForce()) {
            checked.requireWithin(ctx.allocator().quotas(), ctx.allocator().clusterScalars());
        }
        checked.quotas().forEach((role, quota) -> {
            for (String warning : ctx.allocator().setQuota(role, quota.guarantee(), quota.limit())) {
                log.warn("Quota of role '{}' set with force: {}", role, warning);
            }
        });
        log.info("Operator set quota {}", checked.quotas());
        allocation.request();
        return CallResult.ok();
    }

    /**
     * Turns free resources on an agent into resources reserved for a role. {@code source} (what is
     * reserved) defaults to {@code resources} unreserved; a refinement of a reservation names its source.
     * Resources in outstanding offers are not free: they must come back first.
     */
    private CallResult reserve(Call.ReserveResources reserve) {
        AgentId agent = reachableAgent(reserve.getAgentId());
        Resources to = resources("resources", reserve.getResourcesList());
        to.list().stream().filter(r -> !r.isReserved()).findFirst().ifPresent(r -> {
            throw new IllegalArgumentException("resource '" + r + "' names no role to reserve it for");
        });
        Resources from = reserve.getSourceCount() > 0 ? resources("source", reserve.getSourceList())
                : unreserved(to);
        ctx.allocator().updateAvailable(agent, from, to);
        ctx.agents().get(agent).orElseThrow().reshaped(from, to);
        log.info("Operator reserved {} on agent {} (was {})", to, agent, from);
        allocation.request();
        return CallResult.accepted();
    }

    /** Gives reserved free resources on an agent back to every role ('*'). */
    private CallResult unreserve(Call.UnreserveResources unreserve) {
        AgentId agent = reachableAgent(unreserve.getAgentId());
        Resources from = resources("resources", unreserve.getResourcesList());
        from.list().stream().filter(r -> !r.isReserved()).findFirst().ifPresent(r -> {
            throw new IllegalArgumentException("resource '" + r + "' is not reserved");
        });
        Resources to = unreserved(from);
        ctx.allocator().updateAvailable(agent, from, to);
        ctx.agents().get(agent).orElseThrow().reshaped(from, to);
        log.info("Operator unreserved {} on agent {}", from, agent);
        allocation.request();
        return CallResult.accepted();
    }

    private AgentId reachableAgent(Protos.AgentID id) {
        if (id.getValue().isBlank()) {
            throw new IllegalArgumentException("agent_id is missing");
        }
        AgentId agent = MesosIds.of(id);
        if (ctx.agents().reachable(agent).isEmpty()) {
            throw new IllegalArgumentException("agent " + agent + " is not known or not reachable");
        }
        return agent;
    }

    private static Resources resources(String field, List<Protos.Resource> list) {
        if (list.isEmpty()) {
            throw new IllegalArgumentException(field + " is empty");
        }
        try {
            return ResourceMapping.fromMesos(list);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + ": " + e.getMessage(), e);
        }
    }

    static Resources unreserved(Resources reserved) {
        return Resources.of(reserved.list().stream().map(r -> r.withRole(Resource.UNRESERVED)).toList());
    }
}
