package io.tandem.master;

import io.tandem.api.ResourceMapping;
import io.tandem.model.AgentId;
import io.tandem.model.Resource;
import io.tandem.model.Resources;
import java.util.ArrayList;
import java.util.List;
import org.apache.mesos.v1.Protos.Offer.Operation;
import org.apache.mesos.v1.scheduler.Protos.Call;

/**
 * Decides the RESERVE and UNRESERVE operations of an ACCEPT (dynamic reservations by a framework), in
 * the order given, before its launches: a RESERVE turns unreserved offered resources into resources
 * reserved for one of the framework's roles (the offer's role or a role above it), an UNRESERVE turns
 * reserved offered resources back. A launch in the same call may use what a RESERVE made. Changes nothing.
 */
final class OfferReservations {
    /** {@code from} becomes {@code to} (same amounts, other roles) on the agent, held under {@code role}. */
    record Conversion(AgentId agentId, String role, Resources from, Resources to) {}

    /** The conversions, and what the offers hold after them. */
    record Result(List<Conversion> conversions, Resources remaining) {}

    private OfferReservations() {}

    /**
     * @param offered what the call's offers hold together
     * @throws IllegalArgumentException naming the operation (by index) and the problem: malformed
     *     resources, a reservation for a role the framework does not hold or that is not the offer's role or
     *     above it, unreserving what is not reserved, resources not in the offers
     */
    static Result decide(Framework framework, Call.Accept accept, AgentId agentId, String offerRole,
                         Resources offered) {
        List<Conversion> conversions = new ArrayList<>();
        Resources remaining = offered;
        List<Operation> ops = accept.getOperationsList();
        for (int i = 0; i < ops.size(); i++) {
            Operation op = ops.get(i);
            boolean reserve = op.getType() == Operation.Type.RESERVE;
            if (!reserve && op.getType() != Operation.Type.UNRESERVE) {
                continue;
            }
            String what = "operation #" + i + " " + op.getType();
            Resources named = resources(what, reserve ? op.getReserve().getResourcesList()
                    : op.getUnreserve().getResourcesList());
            for (Resource r : named.list()) {
                if (!r.isReserved()) {
                    throw new IllegalArgumentException(what + ": resource '" + r + "' "
                            + (reserve ? "names no role to reserve it for" : "is not reserved"));
                }
                if (!Resources.of(r).usableBy(offerRole).equals(Resources.of(r))) {
                    throw new IllegalArgumentException(what + ": resource '" + r + "' is reserved for role '"
                            + r.role() + "', which framework " + framework.id() + " does not hold for these offers:"
                            + " they are for role '" + offerRole + "', and a reservation must be for it or a role"
                            + " above it");
                }
            }
            Resources from = reserve ? OperatorCalls.unreserved(named) : named;
            Resources to = reserve ? named : OperatorCalls.unreserved(named);
            if (!remaining.contains(from)) {
                throw new IllegalArgumentException(what + ": '" + from + "' is not in the offers (they hold '"
                        + remaining + "')");
            }
            remaining = remaining.minus(from).plus(to);
            conversions.add(new Conversion(agentId, offerRole, from, to));
        }
        return new Result(conversions, remaining);
    }

    private static Resources resources(String what, List<org.apache.mesos.v1.Protos.Resource> list) {
        if (list.isEmpty()) {
            throw new IllegalArgumentException(what + " names no resources");
        }
        try {
            return ResourceMapping.fromMesos(list);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + ": " + e.getMessage(), e);
        }
    }
}
