package io.tandem.master;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.Offer.Operation;
import org.apache.mesos.v1.scheduler.Protos.Call;

/**
 * Checks what can be checked of a scheduler call without the master's state: the type is known and
 * supported, the fields that type needs are there, ids are not empty, the FrameworkInfo of a
 * SUBSCRIBE is sound. Runs on HTTP threads; a problem is a 400 with the returned message.
 */
final class CallSyntax {
    private static final Set<Call.Type> UNSUPPORTED = EnumSet.of(Call.Type.SHUTDOWN, Call.Type.UPDATE_FRAMEWORK,
            Call.Type.RECONCILE_OPERATIONS, Call.Type.ACKNOWLEDGE_OPERATION_STATUS);
    /** Role names as Mesos allows them: path segments of letters, digits, '_', '.', '-'. */
    private static final Pattern ROLE = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*(/[A-Za-z0-9_][A-Za-z0-9_.-]*)*");

    private CallSyntax() {}

    static Optional<String> check(Call call) {
        if (call.getType() == Call.Type.UNKNOWN) {
            return Optional.of("Call type is missing or unknown; expected one of " + knownTypes());
        }
        if (UNSUPPORTED.contains(call.getType())) {
            return Optional.of("Call type " + call.getType() + " is not supported by Tandem"
                    + (call.getType() == Call.Type.SHUTDOWN ? "; kill the executor's tasks instead" : ""));
        }
        if (call.getType() == Call.Type.SUBSCRIBE) {
            return checkSubscribe(call);
        }
        if (!call.hasFrameworkId() || call.getFrameworkId().getValue().isEmpty()) {
            return Optional.of("Expecting 'framework_id' to be present");
        }
        return checkBody(call);
    }

    private static Optional<String> checkBody(Call call) {
        return switch (call.getType()) {
            case ACCEPT -> call.hasAccept() ? checkAccept(call.getAccept()) : missing("accept");
            case DECLINE -> call.hasDecline() ? Optional.empty() : missing("decline");
            case KILL -> call.hasKill() ? checkId("kill.task_id", call.getKill().getTaskId()) : missing("kill");
            case ACKNOWLEDGE -> call.hasAcknowledge() ? checkAcknowledge(call.getAcknowledge()) : missing("acknowledge");
            case RECONCILE -> call.hasReconcile() ? checkReconcile(call.getReconcile()) : missing("reconcile");
            case MESSAGE -> call.hasMessage() ? checkMessage(call.getMessage()) : missing("message");
            case REQUEST -> call.hasRequest() ? Optional.empty() : missing("request");
            case ACCEPT_INVERSE_OFFERS ->
                    call.hasAcceptInverseOffers() ? Optional.empty() : missing("accept_inverse_offers");
            case DECLINE_INVERSE_OFFERS ->
                    call.hasDeclineInverseOffers() ? Optional.empty() : missing("decline_inverse_offers");
            default -> Optional.empty();
        };
    }

    private static Optional<String> checkSubscribe(Call call) {
        if (!call.hasSubscribe()) {
            return missing("subscribe");
        }
        FrameworkInfo info = call.getSubscribe().getFrameworkInfo();
        if (call.hasFrameworkId() && !call.getFrameworkId().equals(info.getId())) {
            return Optional.of("'framework_id' differs from 'subscribe.framework_info.id'");
        }
        if (info.hasId() && info.getId().getValue().isEmpty()) {
            return Optional.of("'framework_info.id' must not be empty when given");
        }
        if (Double.isNaN(info.getFailoverTimeout()) || info.getFailoverTimeout() < 0) {
            return Optional.of("'framework_info.failover_timeout' must be a non-negative number of seconds, got "
                    + info.getFailoverTimeout());
        }
        return checkRoles(info);
    }

    @SuppressWarnings("deprecation") // FrameworkInfo.role: deprecated, and exactly what this check is about
    private static Optional<String> checkRoles(FrameworkInfo info) {
        boolean multiRole = Framework.hasCapability(info, FrameworkInfo.Capability.Type.MULTI_ROLE);
        if (multiRole && info.hasRole()) {
            return Optional.of("'framework_info.role' must not be set by a MULTI_ROLE framework; use 'roles'");
        }
        if (!multiRole && info.getRolesCount() > 0) {
            return Optional.of("'framework_info.roles' needs the MULTI_ROLE capability; use 'role' otherwise");
        }
        for (String role : Framework.rolesOf(info)) {
            if (!role.equals("*") && !ROLE.matcher(role).matches()) {
                return Optional.of("Role '" + role + "' is invalid: use names of letters, digits, '_', '.' and '-'"
                        + " separated by '/'");
            }
        }
        if (Framework.rolesOf(info).size() != (multiRole ? info.getRolesCount() : 1)) {
            return Optional.of("'framework_info.roles' lists a role more than once: " + info.getRolesList());
        }
        return Optional.empty();
    }

    private static Optional<String> checkAccept(Call.Accept accept) {
        for (Protos.OfferID id : accept.getOfferIdsList()) {
            if (id.getValue().isEmpty()) {
                return Optional.of("'accept.offer_ids' contains an empty offer id");
            }
        }
        for (Operation op : accept.getOperationsList()) {
            if (op.getType() == Operation.Type.LAUNCH_GROUP) {
                return Optional.of("Operation LAUNCH_GROUP is not supported by Tandem; launch the tasks with LAUNCH");
            }
            Optional<String> problem = switch (op.getType()) {
                case LAUNCH -> op.hasLaunch() ? Optional.empty() : Optional.of("Operation LAUNCH needs 'launch'");
                case RESERVE -> op.hasReserve() ? Optional.empty() : Optional.of("Operation RESERVE needs 'reserve'");
                case UNRESERVE -> op.hasUnreserve() ? Optional.empty()
                        : Optional.of("Operation UNRESERVE needs 'unreserve'");
                default -> Optional.of("Operation " + op.getType()
                        + " is not supported by Tandem; only LAUNCH, RESERVE and UNRESERVE are");
            };
            if (problem.isPresent()) {
                return problem;
            }
        }
        return Optional.empty();
    }

    private static Optional<String> checkAcknowledge(Call.Acknowledge ack) {
        if (ack.getUuid().size() != 16) {
            return Optional.of("'acknowledge.uuid' must be a 16-byte UUID, got " + ack.getUuid().size() + " bytes");
        }
        return checkId("acknowledge.task_id", ack.getTaskId())
                .or(() -> ack.getAgentId().getValue().isEmpty() ? missing("acknowledge.agent_id") : Optional.empty());
    }

    private static Optional<String> checkReconcile(Call.Reconcile reconcile) {
        for (Call.Reconcile.Task task : reconcile.getTasksList()) {
            Optional<String> bad = checkId("reconcile.tasks.task_id", task.getTaskId());
            if (bad.isPresent()) {
                return bad;
            }
        }
        return Optional.empty();
    }

    private static Optional<String> checkMessage(Call.Message message) {
        if (message.getAgentId().getValue().isEmpty()) {
            return missing("message.agent_id");
        }
        return message.getExecutorId().getValue().isEmpty() ? missing("message.executor_id") : Optional.empty();
    }

    private static Optional<String> checkId(String field, Protos.TaskID id) {
        return id.getValue().isEmpty() ? Optional.of("'" + field + "' must not be empty") : Optional.empty();
    }

    private static Optional<String> missing(String field) {
        return Optional.of("Expecting '" + field + "' to be present");
    }

    private static String knownTypes() {
        return Arrays.stream(Call.Type.values())
                .filter(t -> t != Call.Type.UNKNOWN && !UNSUPPORTED.contains(t))
                .map(Enum::name)
                .collect(Collectors.joining(", "));
    }
}
