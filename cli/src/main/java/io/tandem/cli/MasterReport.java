package io.tandem.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.util.function.Function;
import java.util.function.Predicate;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The options and the fetch that {@code tandem roles}, {@code tasks} and {@code state} share: ask the
 * master for one JSON report and print it raw ({@code --json}) or rendered as tables.
 */
final class MasterReport {
    @Option(names = "--master", required = true, paramLabel = "URL",
            description = "Master URL, e.g. http://127.0.0.1:5050 (env TANDEM_MASTER).")
    String master;

    @Option(names = "--json", description = "Print the master's JSON answer as it is.")
    boolean json;

    @Option(names = "--timeout", defaultValue = "10s", description = "How long to wait for the master (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    /**
     * Prints the report the master serves at {@code path}: the raw answer with {@code --json}, else
     * {@code render} of it once {@code valid} says it is the expected report.
     *
     * @param name the command's name for messages, e.g. "tandem roles"
     * @param what what is asked for, e.g. "the roles"
     * @param kind what a valid answer is, e.g. "Tandem's role explanation"
     * @return the exit code: 0, or 1 with the reason on stderr
     */
    int print(CommandLine commandLine, String name, String path, String what, String kind, Predicate<JsonNode> valid,
              Function<JsonNode, String> render) throws InterruptedException {
        PrintWriter out = commandLine.getOut();
        PrintWriter err = commandLine.getErr();
        MasterQuery query = MasterQuery.of(master, timeout, commandLine);
        URI at = query.at(path);
        String body;
        try {
            body = query.get(at);
        } catch (IOException e) {
            err.println(name + ": cannot get " + what + " from " + at + ": " + MasterQuery.describe(e));
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
            err.println(name + ": " + at + " did not answer with JSON: " + e.getMessage());
            return 1;
        }
        if (answer == null || !valid.test(answer)) {
            err.println(name + ": " + at + " did not answer with " + kind + " (is it a Tandem master?)");
            return 1;
        }
        out.print(render.apply(answer));
        out.flush();
        return 0;
    }
}
