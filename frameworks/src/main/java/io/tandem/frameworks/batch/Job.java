package io.tandem.frameworks.batch;

import java.util.List;

/**
 * A validated job: stages forming a DAG (a plain set of tasks is stages without {@code dependsOn}),
 * and the number of failed task attempts after which the whole job fails. Read one with
 * {@link JobReader#read}.
 */
public record Job(String name, int maxFailures, List<Stage> stages) {
    public Job {
        stages = List.copyOf(stages);
    }

    public int totalTasks() {
        return stages.stream().mapToInt(Stage::count).sum();
    }
}
