package io.tandem.cli;

import io.tandem.sdk.OfferMatcher;
import io.tandem.sdk.Placement;
import io.tandem.sdk.ResourceNeeds;
import io.tandem.sdk.Scheduler;
import io.tandem.sdk.SchedulerCalls;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.Filters;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.MasterInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;

/**
 * The framework of the failover chaos test: launches {@code count} short tasks, each exactly once,
 * each appending its id to a shared file when it runs (so a task that ran twice shows up twice),
 * records every state each task reaches, and reconciles the tasks it has not heard the end of each
 * time it subscribes (after every failover of the master) and when asked.
 *
 * <p>Callbacks arrive on the driver's callback thread; the test reads through synchronized methods.
 */
final class ChaosScheduler implements Scheduler {
    private static final ResourceNeeds NEEDS = new ResourceNeeds(0.1, 16, 0, 0);
    private static final Set<TaskState> TERMINAL = Set.of(TaskState.TASK_FINISHED, TaskState.TASK_FAILED,
            TaskState.TASK_KILLED, TaskState.TASK_ERROR, TaskState.TASK_LOST, TaskState.TASK_DROPPED,
            TaskState.TASK_GONE, TaskState.TASK_GONE_BY_OPERATOR, TaskState.TASK_UNKNOWN);

    private final Deque<String> pending = new ArrayDeque<>();
    private final Map<String, AgentID> launchedOn = new LinkedHashMap<>();
    private final Map<String, List<TaskState>> states = new LinkedHashMap<>();
    private final Path launches;
    private int subscriptions;

    ChaosScheduler(int count, Path launches) {
        for (int i = 0; i < count; i++) {
            pending.add("chaos-" + i);
        }
        this.launches = launches;
    }

    @Override
    public synchronized void subscribed(SchedulerCalls driver, FrameworkID frameworkId, MasterInfo masterInfo) {
        subscriptions++;
        reconcile(driver);
    }

    @Override
    public synchronized void offers(SchedulerCalls driver, List<Offer> offers) {
        for (Offer offer : offers) {
            List<TaskInfo> tasks = new ArrayList<>();
            OfferMatcher matcher = OfferMatcher.of(offer);
            while (!pending.isEmpty()) {
                Placement placement = matcher.take(NEEDS);
                if (!placement.fits()) {
                    break;
                }
                String id = pending.poll();
                launchedOn.put(id, offer.getAgentId());
                tasks.add(TaskInfo.newBuilder().setName(id).setTaskId(TaskID.newBuilder().setValue(id))
                        .setAgentId(offer.getAgentId()).addAllResources(placement.resources())
                        .setCommand(CommandInfo.newBuilder().setShell(true)
                                .setValue("echo " + id + " >> '" + launches + "'"))
                        .build());
            }
            Filters filters = Filters.newBuilder().setRefuseSeconds(pending.isEmpty() ? 30 : 0.2).build();
            if (tasks.isEmpty()) {
                driver.decline(List.of(offer.getId()), filters);
            } else {
                driver.accept(List.of(offer.getId()), List.of(Offer.Operation.newBuilder()
                        .setType(Offer.Operation.Type.LAUNCH)
                        .setLaunch(Offer.Operation.Launch.newBuilder().addAllTaskInfos(tasks)).build()), filters);
            }
        }
    }

    @Override
    public synchronized void update(SchedulerCalls driver, TaskStatus status) {
        states.computeIfAbsent(status.getTaskId().getValue(), id -> new ArrayList<>()).add(status.getState());
    }

    /** Asks the master for the state of every launched task whose end this framework has not seen. */
    synchronized void reconcile(SchedulerCalls driver) {
        List<TaskStatus> open = new ArrayList<>();
        launchedOn.forEach((id, agent) -> {
            if (!isDone(id)) {
                open.add(TaskStatus.newBuilder().setTaskId(TaskID.newBuilder().setValue(id)).setAgentId(agent)
                        .setState(TaskState.TASK_STAGING).build());
            }
        });
        if (!open.isEmpty()) {
            driver.reconcile(open);
        }
    }

    private boolean isDone(String id) {
        return states.getOrDefault(id, List.of()).stream().anyMatch(TERMINAL::contains);
    }

    synchronized int launched() {
        return launchedOn.size();
    }

    synchronized long done() {
        return launchedOn.keySet().stream().filter(this::isDone).count();
    }

    synchronized int subscriptions() {
        return subscriptions;
    }

    /** Each task's distinct terminal states, in the order first seen. */
    synchronized Map<String, Set<TaskState>> terminalStates() {
        Map<String, Set<TaskState>> result = new LinkedHashMap<>();
        launchedOn.keySet().forEach(id -> {
            Set<TaskState> terminal = new LinkedHashSet<>();
            states.getOrDefault(id, List.of()).stream().filter(TERMINAL::contains).forEach(terminal::add);
            result.put(id, terminal);
        });
        return result;
    }
}
