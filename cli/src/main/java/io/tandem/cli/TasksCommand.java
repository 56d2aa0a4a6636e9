package io.tandem.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
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

    @Option(names = "--master", required = true, paramLabel = "URL",
            description = "Master URL, e.g. http://127.0.0.1:5050 (env TANDEM_MASTER).")
    String master;

    @Option(names = "--json", description = "Print the master's JSON answer as it is.")
    boolean json;

    @Option(names = "--timeout", defaultValue = "10s", description = "How long to wait for the master (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        MasterQuery query = MasterQuery.of(master, timeout, spec.commandLine());
        URI uri = query.at(PATH);
        String body;
        try {
            body = query.get(uri);
        } catch (IOException e) {
            err.println("tandem tasks: cannot get the tasks from " + uri + ": " + MasterQuery.describe(e));
            return 1;
        }
        if (json) {
            out.println(body.strip());
            return 0;
        }
        JsonNode answer;
        try {
            answer = new ObjectMapper().readTree(body);
        } catch (IOException e) {
            err.println("tandem tasks: " + uri + " did not answer with JSON: " + e.getMessage());
            return 1;
        }
        if (answer == null || !answer.path("tasks").isArray()) {
            err.println("tandem tasks: " + uri + " did not answer with Tandem's tasks and usage (is it a Tandem master?)");
            return 1;
        }
        out.print(TasksReport.render(answer));
        out.flush();
        return 0;
    }
}
