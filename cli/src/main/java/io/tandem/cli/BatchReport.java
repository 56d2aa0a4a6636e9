package io.tandem.cli;

import io.tandem.frameworks.batch.JobStatus;
import java.io.PrintWriter;

/** How {@code tandem batch} prints a job: a progress bar, the stages, the tasks that failed, the outcome. */
final class BatchReport {
    static final int BAR_WIDTH = 30;

    private BatchReport() {}

    /** {@code [#########.....................]  3/10 finished, 2 running, 1 failure(s)}. */
    static String progressBar(JobStatus s) {
        int filled = s.total() == 0 ? BAR_WIDTH : s.finished() * BAR_WIDTH / s.total();
        String bar = "#".repeat(filled) + ".".repeat(BAR_WIDTH - filled);
        String waiting = s.waiting().isEmpty() ? "" : "; waiting: " + s.waiting();
        return "[" + bar + "] " + s.finished() + "/" + s.total() + " finished, " + s.running() + " running, "
                + s.failures() + " failure(s)" + waiting;
    }

    static void print(JobStatus s, PrintWriter out) {
        out.println("Job " + s.id() + ": " + s.state() + (s.outcome().isEmpty() ? "" : " (" + s.outcome() + ")"));
        out.println(progressBar(s));
        out.printf("%-20s %-20s %6s %8s %8s %8s %8s%n", "STAGE", "AFTER", "TASKS", "WAITING", "RUNNING", "DONE", "FAILED");
        for (JobStatus.StageStatus st : s.stages()) {
            out.printf("%-20s %-20s %6d %8d %8d %8d %8d%n", st.name(), st.dependsOn().isEmpty() ? "-" : String.join(",", st.dependsOn()),
                    st.total(), st.waiting() + st.pending(), st.running(), st.finished(), st.failed());
        }
        s.tasks().stream().filter(t -> !t.message().isEmpty() || !t.failedAttempts().isEmpty()).forEach(t -> {
            out.println("  " + t.name() + " (" + t.phase() + ", " + t.attempts() + " attempt(s)"
                    + (t.host().isEmpty() ? "" : ", last on " + t.host()) + ")"
                    + (t.message().isEmpty() ? "" : ": " + t.message()));
            t.failedAttempts().forEach(f -> out.println("    attempt " + f.attempt() + " failed on " + f.host()
                    + " (agent " + f.agentId() + "): " + f.message()));
        });
    }
}
