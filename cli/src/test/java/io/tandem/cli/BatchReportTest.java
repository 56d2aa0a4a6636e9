package io.tandem.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.frameworks.batch.JobStatus;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchReportTest {

    @Test
    void aTaskWhoseRetrySucceededStillShowsItsFailedAttempt() {
        JobStatus.TaskStatus task = new JobStatus.TaskStatus("extract-0", "FINISHED", 2, "host-2", "a2", "",
                List.of("a1"), List.of(new JobStatus.FailedAttempt(1, "host-1", "a1", "exit 3: disk full")));
        JobStatus job = new JobStatus("etl-1", "etl", "SUCCEEDED", "all 1 task(s) finished", 1, 1, 0, 1, 10,
                List.of(new JobStatus.StageStatus("extract", List.of(), 1, 0, 0, 0, 1, 0)), List.of(task), "");
        StringWriter text = new StringWriter();

        BatchReport.print(job, new PrintWriter(text, true));

        assertThat(text.toString())
                .contains("  extract-0 (FINISHED, 2 attempt(s), last on host-2)\n")
                .contains("    attempt 1 failed on host-1 (agent a1): exit 3: disk full");
    }
}
