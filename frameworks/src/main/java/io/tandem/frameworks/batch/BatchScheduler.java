package io.tandem.frameworks.batch;

import io.tandem.frameworks.common.AgentCapacity;
import io.tandem.frameworks.common.AgentView;
import io.tandem.model.TaskState;
import io.tandem.sdk.OfferMatcher;
import io.tandem.sdk.Placement;
import io.tandem.sdk.ResourceNeeds;
import io.tandem.sdk.Scheduler;
import io.tandem.sdk.SchedulerCalls;
import io.tandem.sdk.TaskShape;
import java.io.IOException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.mesos.v1.Protos.Filters;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.MasterInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.OfferID;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The batch framework's scheduler: runs submitted {@link Job}s on offers, one {@link JobRun} each.
 * Launches every launchable task an offer fits (constraints met, preferring agents where the task
 * has not failed), declares the launchable tasks as demand whenever they change, suppresses offers
 * when no job wants any and revives when one does, kills tasks past their timeout ({@link #tick}).
 *
 * <p>Threads: SDK callbacks, {@link #tick} (a timer), and HTTP requests ({@link #submit},
 * {@link #status}) all take this object's lock; driver calls made under it only queue.
 */
public final class BatchScheduler implements Scheduler {
    private static final Logger LOG = LoggerFactory.getLogger(BatchScheduler.class);
    /** Offers no task can use now come back after this long (sooner than a backoff usually ends). */
    static final double DECLINE_SECONDS = 1;
    /** How long a retry waits for an agent other than those where it failed before taking one of them. */
    static final java.time.Duration AVOID_FOR = java.time.Duration.ofSeconds(30);

    /** What the scheduler asks the cluster at submission; throws when the master cannot tell. */
    public interface Cluster {
        List<AgentCapacity> agents() throws IOException;
    }

    private final String role;
    private final InstantSource clock;
    private final Cluster cluster;
    private final Map<String, JobRun> jobs = new LinkedHashMap<>();
    private final Map<String, TaskRun> byTaskId = new HashMap<>();
    private final Map<String, JobRun> jobOfTask = new HashMap<>();
    private final Map<String, AgentView> knownAgents = new HashMap<>();
    private final Map<String, String> waiting = new HashMap<>();
    private SchedulerCalls driver;
    private List<TaskShape> declared;
    private boolean suppressed;
    /** Per job name, how many jobs of that name were submitted: ids are {@code <name>-<n>}. */
    private final Map<String, Integer> submitted = new HashMap<>();
    private final int keepFinished;

    public BatchScheduler(String role, InstantSource clock, Cluster cluster) {
        this(role, clock, cluster, BatchService.Config.KEEP_FINISHED);
    }

    /** @param keepFinished how many ended jobs stay listed; older ones are forgotten as new jobs arrive */
    public BatchScheduler(String role, InstantSource clock, Cluster cluster, int keepFinished) {
        if (keepFinished < 0) {
            throw new IllegalArgumentException("keep-finished must be 0 or more, got " + keepFinished);
        }
        this.role = role;
        this.clock = clock;
        this.cluster = cluster;
        this.keepFinished = keepFinished;
    }

    /**
     * Accepts a job: checks that the cluster's agents could ever run it, then starts it.
     *
     * @throws IllegalArgumentException naming the stage no agent can ever run, and why
     */
    public JobStatus submit(Job job) {
        try {
            List<AgentCapacity> agents = cluster.agents();   // outside the lock: it asks the master over HTTP
            Feasibility.check(job, agents);
            remember(agents);
        } catch (IOException e) {
            LOG.warn("could not ask the master for its agents ({}); job {} accepted unchecked", e.getMessage(), job.name());
        }
        return start(job);
    }

    /** Agents a retry may prefer to the one where it failed: those offers or the master named. */
    private synchronized void remember(List<AgentCapacity> agents) {
        agents.forEach(a -> knownAgents.putIfAbsent(a.agent().agentId(), a.agent()));
    }

    private synchronized JobStatus start(Job job) {
        JobRun run = new JobRun(job.name() + "-" + submitted.merge(job.name(), 1, Integer::sum), job, clock.instant());
        forgetOldEndedJobs();
        jobs.put(run.id, run);
        LOG.info("job {} submitted: {} stage(s), {} task(s)", run.id, job.stages().size(), job.totalTasks());
        reconsider();
        return JobStatusView.of(run, waiting.get(run.id));
    }

    public synchronized Optional<JobStatus> status(String id) {
        return Optional.ofNullable(jobs.get(id)).map(run -> JobStatusView.of(run, waiting.get(id)));
    }

    public synchronized List<JobStatus> jobs() {
        return jobs.values().stream().map(run -> JobStatusView.of(run, waiting.get(run.id))).toList();
    }

    /** Keeps the last {@code keepFinished} ended jobs (by end time), so a long-lived scheduler does not grow. */
    private void forgetOldEndedJobs() {
        List<JobRun> ended = jobs.values().stream().filter(r -> r.state() != JobRun.State.RUNNING)
                .sorted(java.util.Comparator.comparing(JobRun::endedAt)).toList();
        for (JobRun old : ended.subList(0, Math.max(0, ended.size() - keepFinished))) {
            jobs.remove(old.id);
            waiting.remove(old.id);
            byTaskId.values().removeIf(t -> old.tasks().contains(t));
            jobOfTask.values().removeIf(r -> r == old);
            LOG.debug("forgot ended job {} (keeping the last {})", old.id, keepFinished);
        }
    }

    /** Fails a running job on request: its unstarted tasks are cancelled, its running ones killed. */
    public synchronized Optional<JobStatus> cancel(String id) {
        JobRun run = jobs.get(id);
        if (run == null) {
            return Optional.empty();
        }
        kill(run.cancel(clock.instant()));
        reconsider();
        return status(id);
    }

    @Override
    public synchronized void subscribed(SchedulerCalls driver, FrameworkID frameworkId, MasterInfo masterInfo) {
        LOG.info("batch scheduler subscribed as framework {} in role {}", frameworkId.getValue(), role);
        this.driver = driver;
        this.declared = null;   // a new master may not know the declaration
        this.suppressed = true;  // SUBSCRIBE carried the role as suppressed: declare first, then revive
        if (!byTaskId.isEmpty()) {
            driver.reconcile(List.of());   // after a failover: updates sent while away arrive again
        }
        reconsider();
    }

    @Override
    public synchronized void offers(SchedulerCalls driver, List<Offer> offers) {
        this.driver = driver;
        Instant now = clock.instant();
        List<OfferID> unused = new ArrayList<>();
        for (Offer offer : offers) {
            knownAgents.put(offer.getAgentId().getValue(), AgentView.of(offer));
        }
        for (Offer offer : offers) {
            List<TaskInfo> tasks = pack(offer, now);
            if (tasks.isEmpty()) {
                unused.add(offer.getId());
            } else {
                launch(offer, tasks);
            }
        }
        if (!unused.isEmpty() && declared != null && !declared.isEmpty()) {
            // The master counted the declined offers' tasks as granted: declare what is still wanted again.
            declared = null;
        }
        reconsider();   // declare before declining: the master re-offers declined resources at once
        if (!unused.isEmpty()) {
            driver.decline(unused, Filters.newBuilder().setRefuseSeconds(DECLINE_SECONDS).build());
        }
    }

    /** The tasks to launch on {@code offer}: launchable ones, in job and stage order, that fit and may go there. */
    private List<TaskInfo> pack(Offer offer, Instant now) {
        OfferMatcher matcher = OfferMatcher.of(offer);
        AgentView agent = AgentView.of(offer);
        List<TaskInfo> tasks = new ArrayList<>();
        for (JobRun run : jobs.values()) {
            if (run.state() != JobRun.State.RUNNING) {
                continue;
            }
            for (TaskRun task : run.launchable(now)) {
                Optional<String> why = refusal(run, task, agent, now);
                Placement placement = why.isPresent() ? null : matcher.take(task.stage.needs());
                if (placement == null || !placement.fits()) {
                    waiting.put(run.id, task.name() + ": " + why.orElseGet(() -> placement.reason()));
                    continue;
                }
                String id = run.id + "." + task.name() + "." + (task.attempts + 1);
                run.launched(task, id, agent, now);
                byTaskId.put(id, task);
                jobOfTask.put(id, run);
                tasks.add(BatchTasks.info(run, task, id, offer.getAgentId(), placement.resources()));
                waiting.remove(run.id);
            }
        }
        return tasks;
    }

    /**
     * Why {@code task} may not go to {@code agent}: a constraint, or an earlier failure there while
     * another agent could take it (for at most {@link #AVOID_FOR} after the retry became due, so a
     * busy or vanished other agent does not hold the retry forever).
     */
    private Optional<String> refusal(JobRun run, TaskRun task, AgentView agent, Instant now) {
        Optional<String> broken = task.stage.constraints().violation(agent, run.placed(task.stage));
        if (broken.isPresent()) {
            return broken;
        }
        boolean elsewhere = knownAgents.values().stream().anyMatch(a -> !task.failedOn.contains(a.agentId())
                && task.stage.constraints().admit(a));
        boolean stillAvoiding = now.isBefore(task.notBefore.plus(AVOID_FOR));
        if (task.failedOn.contains(agent.agentId()) && elsewhere && stillAvoiding) {
            return Optional.of("failed on " + agent.hostname() + " before; waiting for another agent");
        }
        return Optional.empty();
    }

    private void launch(Offer offer, List<TaskInfo> tasks) {
        tasks.forEach(t -> LOG.info("launching {} on {}", t.getTaskId().getValue(), offer.getHostname()));
        driver.launch(offer.getId(), tasks).whenComplete((ok, failure) -> {
            if (failure != null) {
                launchRefused(tasks, failure);
            }
        });
    }

    private synchronized void launchRefused(List<TaskInfo> tasks, Throwable failure) {
        String why = failure.getCause() != null ? failure.getCause().getMessage() : failure.getMessage();
        LOG.warn("launch of {} task(s) refused, trying again: {}", tasks.size(), why);
        for (TaskInfo info : tasks) {
            String id = info.getTaskId().getValue();
            TaskRun task = byTaskId.remove(id);
            JobRun run = jobOfTask.remove(id);
            if (task != null && id.equals(task.mesosTaskId)) {
                run.launchRefused(task, "launch refused: " + why);
            }
        }
        reconsider();
    }

    @Override
    public synchronized void update(SchedulerCalls driver, TaskStatus status) {
        String id = status.getTaskId().getValue();
        TaskRun task = byTaskId.get(id);
        JobRun run = jobOfTask.get(id);
        if (task == null || !id.equals(task.mesosTaskId)) {
            return;   // an older attempt, or not ours
        }
        TaskState state = TaskState.valueOf(status.getState().name());
        LOG.info("task {} is {}{}", id, state, status.getMessage().isBlank() ? "" : ": " + status.getMessage());
        if (state == TaskState.TASK_RUNNING) {
            run.running(task);
        } else if (state.isTerminal()) {
            byTaskId.remove(id);
            jobOfTask.remove(id);
            kill(run.ended(task, state == TaskState.TASK_FINISHED, BatchTasks.reason(status), clock.instant()));
        }
        reconsider();
    }

    /** An agent gone from the cluster is no longer a reason for a retry to wait. */
    @Override
    public synchronized void failure(SchedulerCalls driver, org.apache.mesos.v1.Protos.AgentID agentId,
                                     org.apache.mesos.v1.Protos.ExecutorID executorId, Integer status) {
        if (executorId == null) {
            knownAgents.remove(agentId.getValue());
        }
    }

    /** The timer: kills tasks past their timeout and lets tasks whose backoff ended be declared. */
    public synchronized void tick() {
        Instant now = clock.instant();
        for (JobRun run : jobs.values()) {
            List<TaskRun> overdue = run.overdue(now);
            overdue.forEach(t -> LOG.info("task {} timed out after {}", t.mesosTaskId, t.stage.timeout()));
            kill(overdue);
        }
        reconsider();
    }

    private void kill(List<TaskRun> tasks) {
        for (TaskRun task : tasks) {
            if (driver != null && !task.killRequested) {
                task.killRequested = true;
                driver.kill(TaskID.newBuilder().setValue(task.mesosTaskId).build(),
                        org.apache.mesos.v1.Protos.AgentID.newBuilder().setValue(task.agent.agentId()).build());
            }
        }
    }

    /**
     * Keeps the master's view in step with what the jobs want: the launchable tasks declared as demand
     * (when that changed), offers suppressed when no task is pending and revived when one is.
     */
    private void reconsider() {
        if (driver == null) {
            return;
        }
        Instant now = clock.instant();
        Map<ResourceNeeds, Integer> counts = new LinkedHashMap<>();
        boolean pending = false;
        for (JobRun run : jobs.values()) {
            if (run.state() != JobRun.State.RUNNING) {
                continue;
            }
            pending |= run.tasks().stream().anyMatch(t -> t.phase == TaskRun.Phase.PENDING);
            run.launchable(now).forEach(t -> counts.merge(t.stage.needs(), 1, Integer::sum));
        }
        List<TaskShape> shapes = counts.entrySet().stream().map(e -> new TaskShape(e.getKey(), e.getValue())).toList();
        if (!shapes.equals(declared)) {
            declared = shapes;
            (shapes.isEmpty() ? driver.clearDemand() : driver.declareDemand(role, shapes))
                    .exceptionally(failure -> {
                        LOG.warn("demand not declared (offers still come): {}", failure.getMessage());
                        return null;
                    });
        }
        if (pending && suppressed) {
            suppressed = false;
            driver.revive(Set.of(role));
        } else if (!pending && !suppressed) {
            suppressed = true;
            driver.suppress(Set.of(role));
        }
    }
}
