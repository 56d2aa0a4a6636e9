package io.tandem.frameworks.batch;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.testkit.FakeClock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchSchedulerTest {
    private final FakeClock clock = new FakeClock();
    private final BatchScheduler scheduler = new BatchScheduler("batch", clock, List::of, 1);

    private static Job job(String name) {
        return JobReader.read("name: " + name + "\nstages:\n  - {name: a, command: x, resources: {cpus: 1, mem: 32}}\n", "job.yaml");
    }

    @Test
    void jobIdsCountPerJobName() {
        assertThat(scheduler.submit(job("etl")).id()).isEqualTo("etl-1");
        assertThat(scheduler.submit(job("load")).id()).isEqualTo("load-1");
        assertThat(scheduler.submit(job("etl")).id()).isEqualTo("etl-2");
    }

    @Test
    void onlyTheLastNEndedJobsAreKeptWhileRunningOnesStay() {
        String first = scheduler.submit(job("etl")).id();
        scheduler.cancel(first);
        clock.advance(Duration.ofSeconds(1));
        String second = scheduler.submit(job("etl")).id();
        scheduler.cancel(second);
        clock.advance(Duration.ofSeconds(1));

        String third = scheduler.submit(job("etl")).id();

        assertThat(scheduler.jobs()).extracting(JobStatus::id).containsExactly(second, third);
        assertThat(scheduler.status(first)).isEmpty();
    }
}
