package io.tandem.master;

import io.tandem.api.ResourceMapping;
import io.tandem.model.AgentId;
import io.tandem.model.ExecutorId;
import io.tandem.model.OfferId;
import io.tandem.model.Resources;
import io.tandem.model.TaskId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.Protos.Offer.Operation;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus.Reason;
import org.apache.mesos.v1.scheduler.Protos.Call;

/**
 * Decides what an ACCEPT call does, changing nothing (Mesos semantics):
 *
 * <ul>
 *   <li>An invalid set of offers (unknown, another framework's, on more than one agent, on an agent
 *       that is gone) launches nothing: every task gets TASK_DROPPED (TASK_LOST for frameworks that
 *       are not partition-aware) with REASON_INVALID_OFFERS; this framework's offers among them are
 *       consumed and their resources returned unfiltered.
 *   <li>Otherwise tasks are checked in order; an invalid one (bad id, duplicate id, not exactly one of
 *       command and executor, wrong agent, an environment variable Mesos would refuse (see
 *       {@link EnvironmentValidation}), malformed resources, more than what is left of the offers)
 *       gets TASK_ERROR with REASON_TASK_INVALID. Valid ones launch; the offers are consumed and
 *       what the tasks do not use is returned with the call's refuse filter (default 5 s).
 *   <li>RESERVE and UNRESERVE operations reshape the offers' resources before the tasks are checked
 *       ({@link OfferReservations}); an invalid one refuses the whole call.
 * </ul>
 *
 * <p>Reads state owned by the master loop thread, so it runs there; it has no state of its own.
 */
final class LaunchValidation {
    static final Duration DEFAULT_REFUSE = Duration.ofSeconds(5);

    private LaunchValidation() {}

    /**
     * @throws IllegalArgumentException for an invalid RESERVE or UNRESERVE operation (see
     *     {@link OfferReservations}): the whole call is refused and nothing changes
     */
    static AcceptPlan decide(Framework framework, Call.Accept accept, Offers offers, Agents agents, Tasks tasks) {
        List<TaskInfo> requested = tasksOf(accept);
        List<Offer> own = new ArrayList<>();
        Optional<String> offerError = checkOffers(framework, accept, offers, agents, own);
        if (offerError.isPresent()) {
            TaskState state = framework.isPartitionAware() ? TaskState.TASK_DROPPED : TaskState.TASK_LOST;
            List<AcceptPlan.Rejection> dropped = requested.stream()
                    .map(t -> new AcceptPlan.Rejection(t, state, Reason.REASON_INVALID_OFFERS, offerError.get()))
                    .toList();
            List<AcceptPlan.Returned> returned = own.stream()
                    .map(o -> new AcceptPlan.Returned(o.agentId(), o.role(), o.resources(), Duration.ZERO)).toList();
            return new AcceptPlan(own, List.of(), List.of(), dropped, returned);
        }
        return planLaunches(framework, accept, own, requested, tasks);
    }

    private static AcceptPlan planLaunches(Framework framework, Call.Accept accept, List<Offer> offers,
                                           List<TaskInfo> requested, Tasks tasks) {
        if (offers.isEmpty()) {
            return new AcceptPlan(List.of(), List.of(), List.of(), List.of(), List.of());
        }
        AgentId agentId = offers.getFirst().agentId();
        String role = offers.getFirst().role();
        Resources offered = offers.stream().map(Offer::resources).reduce(Resources.empty(), Resources::plus);
        OfferReservations.Result reserved = OfferReservations.decide(framework, accept, agentId, role, offered);
        Resources remaining = reserved.remaining();
        List<AcceptPlan.Launch> launches = new ArrayList<>();
        List<AcceptPlan.Rejection> rejections = new ArrayList<>();
        Set<String> idsInCall = new HashSet<>();
        Set<ExecutorId> executorsStarted = new HashSet<>();
        for (TaskInfo task : requested) {
            Optional<String> error = checkTask(task, agentId, tasks, framework, idsInCall);
            Resources needed = Resources.empty();
            Resources executorResources = Resources.empty();
            if (error.isEmpty()) {
                try {
                    needed = ResourceMapping.fromMesos(task.getResourcesList());
                    executorResources = executorResources(task, framework, agentId, tasks, executorsStarted);
                } catch (IllegalArgumentException e) {
                    error = Optional.of("Task " + task.getTaskId().getValue() + " has malformed resources: "
                            + e.getMessage());
                }
            }
            Resources total = needed.plus(executorResources);
            if (error.isEmpty() && !remaining.contains(total)) {
                error = Optional.of("Task " + task.getTaskId().getValue() + " needs more than is left in offers "
                        + offerNames(offers) + ": it needs '" + total + "' but only '" + remaining + "' is left");
            }
            idsInCall.add(task.getTaskId().getValue());
            if (error.isPresent()) {
                rejections.add(new AcceptPlan.Rejection(task, TaskState.TASK_ERROR, Reason.REASON_TASK_INVALID,
                        error.get()));
                continue;
            }
            remaining = remaining.minus(total);
            if (task.hasExecutor()) {
                executorsStarted.add(new ExecutorId(task.getExecutor().getExecutorId().getValue()));
            }
            launches.add(new AcceptPlan.Launch(task, agentId, role, needed, executorResources));
        }
        Duration refuse = refuseFor(accept.getFilters());
        return new AcceptPlan(offers, reserved.conversions(), launches, rejections,
                List.of(new AcceptPlan.Returned(agentId, role, remaining, refuse)));
    }

    /** The refuse filter of a DECLINE or ACCEPT: {@code refuse_seconds}, 5 s when unset (as in Mesos). */
    static Duration refuseFor(Protos.Filters filters) {
        if (!filters.hasRefuseSeconds()) {
            return DEFAULT_REFUSE;
        }
        double seconds = filters.getRefuseSeconds();
        if (!(seconds > 0)) {
            return Duration.ZERO;
        }
        // Mesos caps refuse_seconds at a year; an endless filter would starve the framework for good.
        return Duration.ofMillis((long) (Math.min(seconds, 365 * 24 * 3600.0) * 1000));
    }

    private static List<TaskInfo> tasksOf(Call.Accept accept) {
        List<TaskInfo> out = new ArrayList<>();
        for (Operation op : accept.getOperationsList()) {
            if (op.getType() == Operation.Type.LAUNCH) {
                out.addAll(op.getLaunch().getTaskInfosList());
            }
        }
        return out;
    }

    /** Collects this framework's offers among those named into {@code own}; the first problem, if any. */
    private static Optional<String> checkOffers(Framework framework, Call.Accept accept, Offers offers,
                                                Agents agents, List<Offer> own) {
        Optional<String> error = Optional.empty();
        Set<OfferId> seen = new LinkedHashSet<>();
        Offer first = null;
        for (Protos.OfferID proto : accept.getOfferIdsList()) {
            OfferId id = MesosIds.of(proto);
            Optional<Offer> offer = offers.get(id);
            Optional<String> problem;
            if (!seen.add(id)) {
                problem = Optional.of("Offer " + id + " appears more than once in the call");
            } else if (offer.isEmpty()) {
                problem = Optional.of("Offer " + id + " is no longer valid (unknown, or already used, declined or rescinded)");
            } else if (!offer.get().frameworkId().equals(framework.id())) {
                problem = Optional.of("Offer " + id + " was made to another framework");
            } else {
                own.add(offer.get());
                problem = checkAgent(offer.get(), first, agents);
                first = first == null ? offer.get() : first;
            }
            error = error.or(() -> problem);
        }
        if (accept.getOfferIdsCount() == 0 && !tasksOf(accept).isEmpty()) {
            error = error.or(() -> Optional.of("No offers were given for the tasks to launch"));
        }
        return error;
    }

    private static Optional<String> checkAgent(Offer offer, Offer first, Agents agents) {
        if (first != null && !first.agentId().equals(offer.agentId())) {
            return Optional.of("Offers must all be on one agent, but offer " + first.id() + " is on agent "
                    + first.agentId() + " and offer " + offer.id() + " on agent " + offer.agentId());
        }
        if (first != null && !first.role().equals(offer.role())) {
            // Tandem's restriction: tasks carry no allocation role, so one accept uses one role's offers.
            return Optional.of("Offers must all be for one role, but offer " + first.id() + " is for role "
                    + first.role() + " and offer " + offer.id() + " for role " + offer.role());
        }
        Optional<Agent> agent = agents.reachable(offer.agentId()).filter(Agent::isConnected);
        if (agent.isEmpty()) {
            return Optional.of("Offer " + offer.id() + " is on agent " + offer.agentId()
                    + ", which is not connected to the master now");
        }
        return Optional.empty();
    }

    /** Problems with one task that do not depend on resources; {@code idsInCall} holds earlier tasks' ids. */
    static Optional<String> checkTask(TaskInfo task, AgentId offerAgent, Tasks tasks, Framework framework,
                                      Set<String> idsInCall) {
        String id = task.getTaskId().getValue();
        Optional<String> badId = checkId(id);
        if (badId.isPresent()) {
            return Optional.of("Task ID '" + id + "' is invalid: " + badId.get());
        }
        if (idsInCall.contains(id)) {
            return Optional.of("Task ID '" + id + "' is used by another task in the same call");
        }
        if (tasks.contains(framework.id(), new TaskId(id))) {
            return Optional.of("Task ID '" + id + "' is already used by a task of this framework");
        }
        if (task.hasCommand() == task.hasExecutor()) {
            return Optional.of("Task " + id + " must have exactly one of 'command' and 'executor', it has "
                    + (task.hasCommand() ? "both" : "neither"));
        }
        if (task.hasExecutor()) {
            Optional<String> badExecutor = checkId(task.getExecutor().getExecutorId().getValue());
            if (badExecutor.isPresent()) {
                return Optional.of("Task " + id + " has an invalid executor ID: " + badExecutor.get());
            }
        }
        if (!task.getAgentId().getValue().equals(offerAgent.value())) {
            return Optional.of("Task " + id + " names agent " + task.getAgentId().getValue()
                    + " but the offers are on agent " + offerAgent);
        }
        if (task.getResourcesCount() == 0) {
            // Mesos's check and message; an executor may have no resources (Mesos only checks they are well formed).
            return Optional.of("Task uses no resources");
        }
        return checkCommands(task);
    }

    /** The environments of the task's command and of its executor's, checked as Mesos does, with its messages. */
    private static Optional<String> checkCommands(TaskInfo task) {
        if (task.hasCommand()) {
            Optional<String> problem = EnvironmentValidation.problemWith(task.getCommand().getEnvironment());
            if (problem.isPresent()) {
                return Optional.of("Task's `CommandInfo` is invalid: " + problem.get());
            }
        }
        if (task.hasExecutor() && task.getExecutor().hasCommand()) {
            return EnvironmentValidation.problemWith(task.getExecutor().getCommand().getEnvironment())
                    .map(problem -> "Executor's `CommandInfo` is invalid: " + problem);
        }
        return Optional.empty();
    }

    /** Mesos's rules for ids: not empty, not '.' or '..', no '/', no control characters or spaces. */
    static Optional<String> checkId(String id) {
        if (id.isEmpty()) {
            return Optional.of("it must not be empty");
        }
        if (id.equals(".") || id.equals("..")) {
            return Optional.of("'.' and '..' are not allowed");
        }
        if (id.indexOf('/') >= 0) {
            return Optional.of("it must not contain '/'");
        }
        if (id.chars().anyMatch(c -> Character.isISOControl(c) || Character.isWhitespace(c))) {
            return Optional.of("it must not contain spaces or control characters");
        }
        return Optional.empty();
    }

    private static Resources executorResources(TaskInfo task, Framework framework, AgentId agentId, Tasks tasks,
                                               Set<ExecutorId> startedInCall) {
        if (!task.hasExecutor()) {
            return Resources.empty();
        }
        ExecutorId executorId = new ExecutorId(task.getExecutor().getExecutorId().getValue());
        if (startedInCall.contains(executorId) || tasks.executorRunning(framework.id(), agentId, executorId)) {
            return Resources.empty();
        }
        try {
            return ResourceMapping.fromMesos(task.getExecutor().getResourcesList());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("executor " + executorId + ": " + e.getMessage(), e);
        }
    }

    private static String offerNames(List<Offer> offers) {
        return String.join(", ", offers.stream().map(o -> o.id().value()).toList());
    }
}
