package io.tandem.frameworks.batch;

import io.tandem.frameworks.batch.TaskRun.Phase;
import java.util.List;

/** Builds the {@link JobStatus} of a {@link JobRun}. */
final class JobStatusView {
    private JobStatusView() {}

    static JobStatus of(JobRun run, String waiting) {
        List<TaskRun> tasks = run.tasks();
        List<JobStatus.StageStatus> stages = run.job.stages().stream().map(s -> {
            List<TaskRun> of = run.tasks(s.name());
            return new JobStatus.StageStatus(s.name(), s.dependsOn(), of.size(), count(of, Phase.WAITING),
                    count(of, Phase.PENDING), (int) of.stream().filter(TaskRun::isLive).count(),
                    count(of, Phase.FINISHED), count(of, Phase.FAILED) + count(of, Phase.CANCELLED));
        }).toList();
        List<JobStatus.TaskStatus> taskViews = tasks.stream().map(t -> new JobStatus.TaskStatus(t.name(),
                t.phase.name(), t.attempts, t.agent == null ? "" : t.agent.hostname(),
                t.agent == null ? "" : t.agent.agentId(), t.lastMessage, t.failedOn.stream().sorted().toList(),
                List.copyOf(t.failedAttempts))).toList();
        boolean running = run.state() == JobRun.State.RUNNING;
        return new JobStatus(run.id, run.job.name(), run.state().name(), run.outcome(), tasks.size(),
                count(tasks, Phase.FINISHED), (int) tasks.stream().filter(TaskRun::isLive).count(), run.failures(),
                run.job.maxFailures(), stages, taskViews, running && waiting != null ? waiting : "");
    }

    private static int count(List<TaskRun> tasks, Phase phase) {
        return (int) tasks.stream().filter(t -> t.phase == phase).count();
    }
}
