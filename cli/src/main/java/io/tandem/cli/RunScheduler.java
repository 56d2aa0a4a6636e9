package io.tandem.cli;

import io.tandem.model.TaskState;
import io.tandem.sdk.OfferMatcher;
import io.tandem.sdk.Placement;
import io.tandem.sdk.ResourceNeeds;
import io.tandem.sdk.Scheduler;
import io.tandem.sdk.SchedulerCalls;
import io.tandem.sdk.TaskShape;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.Filters;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.MasterInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.OfferID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskStatus;

/**
 * The scheduler behind {@code tandem run}: launches the instances of a {@link RunSpec} as offers
 * arrive (as many per offer as fit), declines what it cannot use with a short filter, suppresses
 * offers once everything is launched, prints each task's state changes, and completes
 * {@link #finished()} when every instance has ended. Once subscribed it declares the instances still
 * to launch as demand (REQUEST), again whenever that number changes, and withdraws the declaration
 * when all are launched, so Tandem's allocator offers them in fair-share order task by task.
 *
 * <p>Threads: the SDK's callback thread owns the plan ({@code pending}, {@code lastState}); the
 * shutdown hook may call {@link #killAll} concurrently, so what it reads ({@code live},
 * {@code results}, {@code killing}) is concurrent, and a launch racing with it is killed by whichever
 * side sees the other second.
 */
final class RunScheduler implements Scheduler {
    /** Offers this run cannot use come back after this long, in case the tasks' needs change fit. */
    static final double DECLINE_SECONDS = 5;
    /** How long offers may keep arriving without one that fits before the run says why it waits. */
    static final Duration TELL_UNFIT_AFTER = Duration.ofSeconds(10);
    private static final int UNDECLARED = -1;

    private final RunSpec spec;
    private final PrintWriter out;
    private final PrintWriter err;
    private final InstantSource clock;
    private final Deque<Integer> pending = new ArrayDeque<>();
    private final Map<String, TaskState> lastState = new HashMap<>();
    private final Map<String, String> hostnames = new ConcurrentHashMap<>();
    private final Map<String, AgentID> live = new ConcurrentHashMap<>();
    private final Map<String, TaskStatus> results = new ConcurrentHashMap<>();
    private final Queue<Integer> relaunch = new ConcurrentLinkedQueue<>();
    private final CompletableFuture<FrameworkID> subscribed = new CompletableFuture<>();
    private final CompletableFuture<RunOutcome> finished = new CompletableFuture<>();
    private volatile boolean killing;
    private boolean suppressed;
    /** Instances declared to the master as still wanted; {@link #UNDECLARED} before a subscription's first. */
    private int declared = UNDECLARED;
    private boolean subscribedOnce;
    private volatile boolean toldDemandRefused;
    /** Since when offers arrive and none fits the next pending instance; null while tasks launch. */
    private Instant unfitSince;
    private String lastMisfit;
    private boolean toldUnfit;

    /**
     * @param out where state changes go
     * @param err where the run says why it waits
     * @param clock for how long no offer fitted
     */
    RunScheduler(RunSpec spec, PrintWriter out, PrintWriter err, InstantSource clock) {
        this.spec = spec;
        this.out = out;
        this.err = err;
        this.clock = clock;
        for (int i = 0; i < spec.instances(); i++) {
            pending.add(i);
        }
    }

    /** Completes with the framework id at the first subscription. */
    CompletableFuture<FrameworkID> subscribed() {
        return subscribed;
    }

    /** Completes when every instance ended, or the run was killed and its tasks ended, or the master refused it. */
    CompletableFuture<RunOutcome> finished() {
        return finished;
    }

    @Override
    public void subscribed(SchedulerCalls driver, FrameworkID frameworkId, MasterInfo masterInfo) {
        if (subscribed.complete(frameworkId)) {
            out.println("Framework " + frameworkId.getValue() + " subscribed");
        }
        // A new subscription may be a new master that never saw the declaration.
        subscribedOnce = true;
        declared = UNDECLARED;
        declareRemaining(driver);
    }

    /**
     * Declares the instances not yet launched as demand when their number changed since the last
     * declaration, or withdraws it when none are left. A master that refuses the declaration (a shape
     * too small to allocate) still sends plain offers, so the run goes on; it says so once.
     */
    private void declareRemaining(SchedulerCalls driver) {
        int remaining = killing ? 0 : pending.size();
        if (!subscribedOnce || remaining == declared) {
            return;
        }
        declared = remaining;
        CompletableFuture<Void> sent = remaining == 0
                ? driver.clearDemand()
                : driver.declareDemand(List.of(new TaskShape(spec.needs(), remaining)));
        sent.whenComplete((ok, failure) -> {
            if (failure != null && !toldDemandRefused) {
                toldDemandRefused = true;
                err.println("tandem run: demand not declared (offers still come): " + describe(failure));
                err.flush();
            }
        });
    }

    @Override
    public void offers(SchedulerCalls driver, List<Offer> offers) {
        takeBackFailedLaunches();
        List<OfferID> unused = new ArrayList<>();
        boolean launched = false;
        for (Offer offer : offers) {
            List<TaskInfo> tasks = killing ? List.of() : tasksFor(offer);
            if (tasks.isEmpty()) {
                unused.add(offer.getId());
            } else {
                launch(driver, offer, tasks);
                launched = true;
            }
        }
        noticeUnfit(launched);
        declareRemaining(driver);   // before the decline, whose resources the master re-offers at once
        if (!unused.isEmpty()) {
            driver.decline(unused, Filters.newBuilder().setRefuseSeconds(DECLINE_SECONDS).build());
        }
        if (pending.isEmpty() && !suppressed) {
            suppressed = true;
            driver.suppress(Set.of());
        }
    }

    private List<TaskInfo> tasksFor(Offer offer) {
        OfferMatcher matcher = OfferMatcher.of(offer);
        List<TaskInfo> tasks = new ArrayList<>();
        while (!pending.isEmpty()) {
            Placement placement = matcher.take(spec.needs());
            if (!placement.fits()) {
                if (tasks.isEmpty()) {
                    lastMisfit = placement.reason();
                }
                break;
            }
            tasks.add(spec.task(pending.poll(), offer.getAgentId(), placement.resources()));
        }
        return tasks;
    }

    /**
     * Says once, on err, why the run waits when offers have kept arriving for
     * {@link #TELL_UNFIT_AFTER} and none fitted; a launch starts the count again.
     */
    private void noticeUnfit(boolean launched) {
        if (launched || pending.isEmpty() || killing) {
            unfitSince = null;
            toldUnfit = false;
            return;
        }
        Instant now = clock.instant();
        if (unfitSince == null) {
            unfitSince = now;
        } else if (!toldUnfit && Duration.between(unfitSince, now).compareTo(TELL_UNFIT_AFTER) >= 0) {
            toldUnfit = true;
            err.println("tandem run: waiting: no offer fits " + spec.taskId(pending.peek()) + " (needs " + needs()
                    + "); " + lastMisfit + "; still waiting (Ctrl-C to stop)");
            err.flush();
        }
    }

    /** The needs of one instance as in a resource spec: {@code cpus:5;mem:64}. */
    private String needs() {
        ResourceNeeds needs = spec.needs();
        StringBuilder text = new StringBuilder("cpus:" + amount(needs.cpus()) + ";mem:" + amount(needs.memMb()));
        if (needs.diskMb() > 0) {
            text.append(";disk:").append(amount(needs.diskMb()));
        }
        return text.toString();
    }

    private static String amount(double value) {
        return java.math.BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    private void launch(SchedulerCalls driver, Offer offer, List<TaskInfo> tasks) {
        for (TaskInfo task : tasks) {
            live.put(task.getTaskId().getValue(), offer.getAgentId());
            hostnames.put(task.getTaskId().getValue(), offer.getHostname());
        }
        driver.launch(offer.getId(), tasks).whenComplete((ok, failure) -> {
            if (failure != null) {
                launchFailed(driver, tasks, failure);
            }
        });
        if (killing) {
            tasks.forEach(task -> driver.kill(task.getTaskId(), offer.getAgentId()));
        }
    }

    /** Runs on an HTTP thread: hands the instances back to the callback thread through a queue. */
    private void launchFailed(SchedulerCalls driver, List<TaskInfo> tasks, Throwable failure) {
        out.println("launch of " + tasks.size() + " task(s) failed, retrying: " + describe(failure));
        for (TaskInfo task : tasks) {
            live.remove(task.getTaskId().getValue());
            relaunch.add(instanceOf(task.getTaskId().getValue()));
        }
        driver.revive(Set.of());
    }

    private void takeBackFailedLaunches() {
        Integer instance;
        while ((instance = relaunch.poll()) != null) {
            pending.addFirst(instance);
            suppressed = false;
        }
    }

    @Override
    public void update(SchedulerCalls driver, TaskStatus status) {
        String id = status.getTaskId().getValue();
        if (!hostnames.containsKey(id)) {
            return;   // not one of ours (cannot happen with a fresh framework, but cheap to ignore)
        }
        TaskState state = TaskState.valueOf(status.getState().name());
        if (state != lastState.put(id, state)) {
            out.println(line(status));
        }
        if (state.isTerminal()) {
            results.putIfAbsent(id, status);
            live.remove(id);
            finishIfDone();
        }
    }

    @Override
    public void error(SchedulerCalls driver, String message) {
        finished.complete(RunOutcome.error(message));
    }

    @Override
    public void disconnected(SchedulerCalls driver) {
        out.println("lost the master; subscribing again");
    }

    /**
     * Kills every launched task and stops launching. Called from the shutdown hook thread; the
     * tasks' terminal updates later complete {@link #finished()}.
     */
    void killAll(SchedulerCalls driver) {
        killing = true;
        live.forEach((taskId, agentId) -> driver.kill(
                org.apache.mesos.v1.Protos.TaskID.newBuilder().setValue(taskId).build(), agentId));
        finishIfDone();
    }

    /** Number of tasks launched and not yet ended. */
    int liveTasks() {
        return live.size();
    }

    private void finishIfDone() {
        boolean allEnded = results.size() == spec.instances();
        if (allEnded || (killing && live.isEmpty())) {
            finished.complete(outcome());
        }
    }

    private RunOutcome outcome() {
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < spec.instances(); i++) {
            String id = spec.taskId(i);
            TaskStatus status = results.get(id);
            if (status == null) {
                failures.add(id + " failed: never ended (run interrupted)");
            } else if (status.getState() != org.apache.mesos.v1.Protos.TaskState.TASK_FINISHED) {
                failures.add(id + " failed: " + reason(status));
            }
        }
        return new RunOutcome(failures, null);
    }

    /** {@code run-0  TASK_RUNNING  on host-1}, then the status message when there is one. */
    String line(TaskStatus status) {
        String id = status.getTaskId().getValue();
        String host = hostnames.getOrDefault(id, "?");
        String message = status.getMessage().isBlank() ? "" : "  " + status.getMessage().strip();
        return id + "  " + status.getState().name() + "  on " + host + message;
    }

    /** Why a task did not finish: the agent's message (e.g. "Command exited with status 3"), else its state. */
    static String reason(TaskStatus status) {
        String message = status.getMessage().strip();
        if (status.getState() == org.apache.mesos.v1.Protos.TaskState.TASK_FAILED && !message.isEmpty()) {
            return message;
        }
        String why = status.hasReason() ? " (" + status.getReason().name() + ")" : "";
        return status.getState().name() + why + (message.isEmpty() ? "" : ": " + message);
    }

    private int instanceOf(String taskId) {
        return Integer.parseInt(taskId.substring(spec.name().length() + 1));
    }

    private static String describe(Throwable failure) {
        Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }
}
