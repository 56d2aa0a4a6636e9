package io.tandem.master;

import io.tandem.api.ResourceMapping;
import io.tandem.api.agent.AgentCall;
import io.tandem.model.AgentId;
import io.tandem.model.Resources;
import java.util.List;
import java.util.Optional;
import org.apache.mesos.v1.Protos.AgentInfo;

/**
 * An agent's SUBSCRIBE, checked and with its resources parsed: made on the HTTP thread, so the loop
 * gets only well-formed input. {@code ip} is the address the agent connected from: Mesos puts an
 * agent's IP in every offer's URL, and AgentInfo has no field for it.
 */
record AgentAdmission(AgentInfo info, String ip, Optional<AgentId> requestedId, Resources total,
                      AgentCall.Subscribe call) {

    /**
     * @param remoteAddress the IP the subscription came from (an IPv6 one may be in brackets)
     * @throws IllegalArgumentException naming what is wrong with the subscription
     */
    static AgentAdmission of(AgentCall.Subscribe call, String remoteAddress) {
        AgentInfo info = call.info();
        if (info == null) {
            throw new IllegalArgumentException("SUBSCRIBE needs 'info' (the agent's AgentInfo)");
        }
        if (info.getHostname().isBlank()) {
            throw new IllegalArgumentException("AgentInfo.hostname must not be empty");
        }
        if (info.hasId() && info.getId().getValue().isBlank()) {
            throw new IllegalArgumentException("AgentInfo.id must not be empty when given");
        }
        Resources total = ResourceMapping.fromMesos(info.getResourcesList());
        if (total.isEmpty()) {
            throw new IllegalArgumentException("the agent offers no resources");
        }
        ResourceMapping.attributesFromMesos(info.getAttributesList());
        for (AgentCall.KnownTask known : call.tasks()) {
            if (known.task() == null || known.frameworkId() == null || known.state() == null) {
                throw new IllegalArgumentException("every known task needs 'task', 'framework_id' and 'state'");
            }
            Optional<String> badId = LaunchValidation.checkId(known.task().getTaskId().getValue());
            if (badId.isPresent()) {
                throw new IllegalArgumentException("known task '" + known.task().getTaskId().getValue()
                        + "' has an invalid id: " + badId.get());
            }
            ResourceMapping.fromMesos(known.task().getResourcesList());
        }
        Optional<AgentId> id = info.hasId() ? Optional.of(MesosIds.of(info.getId())) : Optional.empty();
        return new AgentAdmission(info, withoutBrackets(remoteAddress), id, total, call);
    }

    private static String withoutBrackets(String address) {
        return address.startsWith("[") && address.endsWith("]") ? address.substring(1, address.length() - 1) : address;
    }

    List<AgentCall.KnownTask> knownTasks() {
        return call.tasks();
    }
}
