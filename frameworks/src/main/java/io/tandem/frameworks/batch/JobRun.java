package io.tandem.frameworks.batch;

import io.tandem.frameworks.batch.TaskRun.Phase;
import io.tandem.frameworks.common.AgentView;
import io.tandem.frameworks.common.DurationText;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One submitted job's progress: which tasks wait for their stage's dependencies, which may launch,
 * which run, and the job's outcome. Pure: time is passed in, and what must be killed is returned, so
 * the scheduler decides the calls. Not thread-safe; {@link BatchScheduler} holds its lock around it.
 *
 * <p>Rules: a stage's tasks become PENDING when every stage it depends on has all its tasks FINISHED.
 * A failed attempt (any end but TASK_FINISHED, or the timeout) counts towards the job's
 * {@code max_failures}; the task is retried after its backoff while it has retries left, preferring
 * another agent; otherwise, or at {@code max_failures}, the job fails: tasks not started are
 * cancelled and running ones killed.
 */
final class JobRun {
    private static final Logger LOG = LoggerFactory.getLogger(JobRun.class);

    /** Where a job is. */
    enum State { RUNNING, SUCCEEDED, FAILED }

    final String id;
    final Job job;
    final Instant submittedAt;
    private final Map<String, List<TaskRun>> byStage = new LinkedHashMap<>();
    private State state = State.RUNNING;
    private String outcome = "";
    private int failures;
    private Instant endedAt;

    JobRun(String id, Job job, Instant now) {
        this.id = id;
        this.job = job;
        this.submittedAt = now;
        for (Stage stage : job.stages()) {
            List<TaskRun> tasks = new ArrayList<>();
            for (int i = 0; i < stage.count(); i++) {
                tasks.add(new TaskRun(stage, i));
            }
            byStage.put(stage.name(), tasks);
        }
        releaseStages(now);
    }

    State state() {
        return state;
    }

    String outcome() {
        return outcome;
    }

    int failures() {
        return failures;
    }

    Instant endedAt() {
        return endedAt;
    }

    List<TaskRun> tasks() {
        return byStage.values().stream().flatMap(List::stream).toList();
    }

    List<TaskRun> tasks(String stage) {
        return byStage.get(stage);
    }

    /** Tasks that may launch now, in stage order. */
    List<TaskRun> launchable(Instant now) {
        return tasks().stream().filter(t -> t.phase == Phase.PENDING && !t.notBefore.isAfter(now)).toList();
    }

    /** The agents of the stage's live tasks, one entry per task: what its constraints count. */
    List<AgentView> placed(Stage stage) {
        return byStage.get(stage.name()).stream().filter(TaskRun::isLive).map(t -> t.agent).toList();
    }

    /** Marks the next attempt of {@code task} launched as {@code mesosTaskId} on {@code agent}. */
    void launched(TaskRun task, String mesosTaskId, AgentView agent, Instant now) {
        task.attempts++;
        task.phase = Phase.LAUNCHED;
        task.mesosTaskId = mesosTaskId;
        task.agent = agent;
        task.launchedAt = now;
        task.timedOut = false;
        task.killRequested = false;
    }

    void running(TaskRun task) {
        if (task.phase == Phase.LAUNCHED) {
            task.phase = Phase.RUNNING;
        }
    }

    /**
     * The current attempt of {@code task} ended.
     *
     * @return the tasks to kill now (the live ones, when this failure failed the job)
     */
    List<TaskRun> ended(TaskRun task, boolean finished, String message, Instant now) {
        if (!task.isLive()) {
            return List.of();
        }
        if (state != State.RUNNING) {   // killed because the job failed: no longer counted
            task.phase = finished ? Phase.FINISHED : Phase.CANCELLED;
            task.lastMessage = message;
            return List.of();
        }
        if (finished) {
            task.phase = Phase.FINISHED;
            task.lastMessage = "";
            releaseStages(now);
            return List.of();
        }
        failures++;
        task.lastMessage = task.timedOut ? "timed out after " + DurationText.format(task.stage.timeout()) : message;
        task.failedOn.add(task.agent.agentId());
        task.failedAttempts.add(new JobStatus.FailedAttempt(task.attempts, task.agent.hostname(), task.agent.agentId(),
                task.lastMessage));
        if (task.failedAttempts.size() > TaskRun.HISTORY) {
            task.failedAttempts.removeFirst();
        }
        LOG.info("job {}: task {} attempt {} failed on {}: {}", id, task.name(), task.attempts,
                task.agent.hostname(), task.lastMessage);
        if (failures >= job.maxFailures()) {
            task.phase = Phase.FAILED;
            return fail(failures + " failed attempts reached max_failures " + job.maxFailures() + "; last: "
                    + task.name() + ": " + task.lastMessage, now);
        }
        if (task.attempts > task.stage.retries()) {
            task.phase = Phase.FAILED;
            return fail("task " + task.name() + " failed " + task.attempts + " time(s), its last attempt: "
                    + task.lastMessage, now);
        }
        task.phase = Phase.PENDING;
        task.notBefore = now.plus(task.stage.backoffAfter(task.attempts));
        return List.of();
    }

    /** A launch the master refused before the task started: tried again at once, not counted. */
    void launchRefused(TaskRun task, String message) {
        if (task.isLive()) {
            task.attempts--;
            task.phase = Phase.PENDING;
            task.lastMessage = message;
        }
    }

    /** Live tasks past their stage's timeout, marked so; the caller kills them. */
    List<TaskRun> overdue(Instant now) {
        List<TaskRun> overdue = new ArrayList<>();
        for (TaskRun t : tasks()) {
            Duration timeout = t.stage.timeout();
            if (t.isLive() && !t.timedOut && timeout != null && !now.isBefore(t.launchedAt.plus(timeout))) {
                t.timedOut = true;
                overdue.add(t);
            }
        }
        return overdue;
    }

    /** Stops the job at the user's request; returns the live tasks to kill. */
    List<TaskRun> cancel(Instant now) {
        return state == State.RUNNING ? fail("cancelled by request", now) : List.of();
    }

    private List<TaskRun> fail(String why, Instant now) {
        state = State.FAILED;
        outcome = why;
        endedAt = now;
        LOG.info("job {} FAILED: {}", id, why);
        List<TaskRun> live = new ArrayList<>();
        for (TaskRun t : tasks()) {
            if (t.isLive()) {
                live.add(t);
            } else if (!t.isDone()) {
                t.phase = Phase.CANCELLED;
            }
        }
        return live;
    }

    /** Moves WAITING tasks of stages whose dependencies all finished to PENDING; ends the job when all finished. */
    private void releaseStages(Instant now) {
        if (state != State.RUNNING) {
            return;
        }
        for (Stage stage : job.stages()) {
            boolean ready = stage.dependsOn().stream()
                    .allMatch(dep -> byStage.get(dep).stream().allMatch(t -> t.phase == Phase.FINISHED));
            if (ready) {
                byStage.get(stage.name()).stream().filter(t -> t.phase == Phase.WAITING)
                        .forEach(t -> t.phase = Phase.PENDING);
            }
        }
        if (tasks().stream().allMatch(t -> t.phase == Phase.FINISHED)) {
            state = State.SUCCEEDED;
            endedAt = now;
            outcome = "all " + job.totalTasks() + " task(s) finished";
            LOG.info("job {} SUCCEEDED: {}", id, outcome);
        }
    }
}
