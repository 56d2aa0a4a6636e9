package io.tandem.master;

import io.tandem.api.MesosJson;
import io.tandem.master.maintenance.MaintenanceMessages;
import io.tandem.master.maintenance.MaintenanceState;
import io.tandem.master.registry.RegistryState;
import io.tandem.model.AgentId;
import io.tandem.model.Resources;
import java.time.Instant;
import java.util.Map;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a newly elected leader does with the registry before it serves: weights and quota are set
 * again; frameworks come back disconnected, waiting for their schedulers to subscribe again with
 * their ids (at least {@link FrameworkLifecycle#RECOVERED_GRACE}, never less than their failover
 * timeout); agents are expected back within {@code agentReregistrationTimeout}, and get their
 * dynamic reservations back when they come; agents marked gone stay refused; the maintenance schedule
 * and the DOWN machines are restored (their agents stay refused).
 *
 * <p>Runs on the master loop thread, once per leadership, before the first request.
 */
final class RegistryRecovery {
    private static final Logger log = LoggerFactory.getLogger(RegistryRecovery.class);

    private RegistryRecovery() {}

    static void apply(RegistryState state, MasterContext ctx, FrameworkLifecycle frameworks) {
        ctx.maintenance().set(maintenance(state));
        if (!state.weights().isEmpty()) {
            ctx.allocator().setWeights(state.weights());
        }
        for (Map.Entry<String, RegistryState.QuotaEntry> quota : state.quotas().entrySet()) {
            try {
                ctx.allocator().setQuota(quota.getKey(), resources(quota.getValue().guarantee()),
                        resources(quota.getValue().limit()));
            } catch (IllegalArgumentException e) {
                log.error("Registry: quota of role '{}' not restored: {}", quota.getKey(), e.getMessage());
            }
        }
        for (RegistryState.FrameworkEntry entry : state.frameworks()) {
            try {
                frameworks.recover(MesosJson.parse(entry.info(), FrameworkInfo.newBuilder()).build(), "the registry");
            } catch (RuntimeException e) {
                log.error("Registry: framework {} not restored: {}", entry.id(), e.getMessage());
            }
        }
        state.goneAgents().forEach(id -> ctx.agents().markGone(new AgentId(id)));
        Instant deadline = ctx.now().plus(ctx.config().agentReregistrationTimeout());
        ctx.recoveredAgents().expect(state.agents(), deadline);
        log.info("Recovered from the registry: {} agents expected back within {}, {} frameworks, {} weights, {} quotas,"
                        + " {} maintenance windows, machines DOWN: {}",
                state.agents().size(), HumanDuration.format(ctx.config().agentReregistrationTimeout()),
                state.frameworks().size(), state.weights().size(), state.quotas().size(),
                ctx.maintenance().state().schedule().size(), ctx.maintenance().state().down());
    }

    /**
     * A schedule or mode the master cannot read is refused, not dropped: forgetting that a machine is
     * DOWN would let its agents back in.
     */
    private static MaintenanceState maintenance(RegistryState state) {
        try {
            return MaintenanceMessages.fromEntry(state.maintenance());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the registry's maintenance schedule is not valid: " + e.getMessage(), e);
        }
    }

    private static Resources resources(String spec) {
        return spec == null || spec.isBlank() ? Resources.empty() : Resources.parse(spec);
    }
}
