package io.tandem.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code tandem tasks}: asks a Tandem master for {@code GET /tasks/usage} and prints each live task
 * with its latest usage statistics ({@link TasksReport}), or the raw JSON with {@code --json}.
 */
@Command(name = "tasks", mixinStandardHelpOptions = true,
        description = "Show the cluster's live tasks with the cpu, memory, processes and disk each uses.")
final class TasksCommand implements Callable<Integer> {
    static final String PATH = "/tasks/usage";

    @Spec
    CommandSpec spec;

    @Mixin
    MasterReport report;

    @Override
    public Integer call() throws InterruptedException {
        return report.print(spec.commandLine(), "tandem tasks", PATH, "the tasks", "Tandem's tasks and usage",
                answer -> answer.path("tasks").isArray(), TasksReport::render);
    }
}
