package io.tandem.frameworks.batch;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.frameworks.batch.TaskRun.Phase;
import io.tandem.frameworks.common.AgentView;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JobRunTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private final AgentView a1 = new AgentView("a1", "host-1", Map.of());

    private static Job job(String yaml) {
        return JobReader.read(yaml, "test");
    }

    private final Job dag = job("""
            name: dag
            max_failures: 3
            stages:
              - {name: a, count: 2, command: x, resources: {cpus: 1, mem: 32}, retries: 2, backoff: 1s}
              - {name: b, depends_on: [a], command: x, resources: {cpus: 1, mem: 32}, timeout: 10s}
            """);

    @Test
    void aStageWaitsUntilEveryTaskOfItsDependenciesFinished() {
        JobRun run = new JobRun("dag-1", dag, T0);
        List<TaskRun> first = run.launchable(T0);
        assertThat(first).extracting(TaskRun::name).containsExactly("a-0", "a-1");

        first.forEach(t -> run.launched(t, "id-" + t.name(), a1, T0));
        run.ended(first.get(0), true, "", T0);
        assertThat(run.launchable(T0)).isEmpty();

        run.ended(first.get(1), true, "", T0);
        assertThat(run.launchable(T0)).extracting(TaskRun::name).containsExactly("b-0");
    }

    @Test
    void aFailedAttemptIsRetriedAfterADoublingBackoff() {
        JobRun run = new JobRun("dag-1", dag, T0);
        TaskRun a0 = run.launchable(T0).getFirst();

        run.launched(a0, "x1", a1, T0);
        run.ended(a0, false, "exit 1", T0);
        assertThat(a0.phase).isEqualTo(Phase.PENDING);
        assertThat(run.launchable(T0.plusMillis(999))).doesNotContain(a0);
        assertThat(run.launchable(T0.plusSeconds(1))).contains(a0);

        run.launched(a0, "x2", a1, T0.plusSeconds(1));
        run.ended(a0, false, "exit 1", T0.plusSeconds(1));
        assertThat(a0.notBefore).isEqualTo(T0.plusSeconds(3));   // 1s, then 2s
        assertThat(a0.failedOn).containsExactly("a1");
        assertThat(run.failures()).isEqualTo(2);
    }

    @Test
    void aFailedAttemptStaysInTheTasksHistoryAfterTheRetrySucceeds() {
        JobRun run = new JobRun("dag-1", dag, T0);
        TaskRun a0 = run.launchable(T0).getFirst();
        run.launched(a0, "x1", a1, T0);
        run.ended(a0, false, "exit 3: disk full", T0);
        run.launched(a0, "x2", new AgentView("a2", "host-2", Map.of()), T0.plusSeconds(1));

        run.ended(a0, true, "", T0.plusSeconds(2));

        JobStatus.TaskStatus shown = JobStatusView.of(run, null).tasks().getFirst();
        assertThat(shown.phase()).isEqualTo("FINISHED");
        assertThat(shown.host()).isEqualTo("host-2");
        assertThat(shown.failedAttempts()).containsExactly(new JobStatus.FailedAttempt(1, "host-1", "a1", "exit 3: disk full"));
    }

    @Test
    void reachingMaxFailuresFailsTheJobCancelsWhatWaitsAndKillsWhatRuns() {
        JobRun run = new JobRun("dag-1", dag, T0);
        TaskRun a0 = run.launchable(T0).get(0);
        TaskRun a1Task = run.launchable(T0).get(1);
        run.launched(a1Task, "other", a1, T0);
        Instant t = T0;
        List<TaskRun> toKill = List.of();
        for (int i = 0; i < 3; i++) {
            t = t.plusSeconds(10);
            run.launched(a0, "try" + i, a1, t);
            toKill = run.ended(a0, false, "exit 1", t);
        }

        assertThat(run.state()).isEqualTo(JobRun.State.FAILED);
        assertThat(run.outcome()).contains("3 failed attempts reached max_failures 3").contains("exit 1");
        assertThat(toKill).containsExactly(a1Task);
        assertThat(run.tasks("b").getFirst().phase).isEqualTo(Phase.CANCELLED);
    }

    @Test
    void aTaskOutOfRetriesFailsTheJob() {
        Job once = job("""
                name: once
                stages: [{name: a, command: x, resources: {cpus: 1, mem: 32}}]
                """);
        JobRun run = new JobRun("once-1", once, T0);
        TaskRun a0 = run.launchable(T0).getFirst();
        run.launched(a0, "x", a1, T0);

        run.ended(a0, false, "Command exited with status 3", T0);

        assertThat(run.state()).isEqualTo(JobRun.State.FAILED);
        assertThat(run.outcome()).isEqualTo("task a-0 failed 1 time(s), its last attempt: Command exited with status 3");
    }

    @Test
    void aTaskPastItsTimeoutIsReportedOnceAndItsKillReadsAsTheTimeout() {
        JobRun run = new JobRun("dag-1", dag, T0);
        run.launchable(T0).forEach(t -> {
            run.launched(t, t.name(), a1, T0);
            run.ended(t, true, "", T0);
        });
        TaskRun b0 = run.launchable(T0).getFirst();
        run.launched(b0, "b", a1, T0);

        assertThat(run.overdue(T0.plus(Duration.ofSeconds(9)))).isEmpty();
        assertThat(run.overdue(T0.plus(Duration.ofSeconds(10)))).containsExactly(b0);
        assertThat(run.overdue(T0.plus(Duration.ofSeconds(11)))).isEmpty();
        run.ended(b0, false, "TASK_KILLED", T0.plusSeconds(11));

        assertThat(run.outcome()).contains("timed out after 10s");
    }

    @Test
    void aJobSucceedsWhenEveryTaskFinished() {
        JobRun run = new JobRun("dag-1", dag, T0);
        for (int round = 0; round < 2; round++) {
            run.launchable(T0).forEach(t -> {
                run.launched(t, t.name(), a1, T0);
                run.ended(t, true, "", T0);
            });
        }

        assertThat(run.state()).isEqualTo(JobRun.State.SUCCEEDED);
        assertThat(JobStatusView.of(run, null).finished()).isEqualTo(3);
    }
}
