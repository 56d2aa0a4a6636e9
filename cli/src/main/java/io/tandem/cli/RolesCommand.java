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
 * {@code tandem roles}: asks a Tandem master for {@code GET /roles/explain} and prints, per role and per
 * framework, allocation, dominant share, weight, quota, declared demand and unmet demand with its reason
 * ({@link RolesReport}), or the raw JSON with {@code --json}.
 */
@Command(name = "roles", mixinStandardHelpOptions = true,
        description = "Show each role's and framework's allocation, share, weight, quota and demand, and why"
                + " demand goes unmet.")
final class RolesCommand implements Callable<Integer> {
    static final String PATH = "/roles/explain";

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
            err.println("tandem roles: cannot get the roles from " + uri + ": " + MasterQuery.describe(e));
            return 1;
        }
        if (json) {
            out.println(body.strip());
            return 0;
        }
        JsonNode explained;
        try {
            explained = new ObjectMapper().readTree(body);
        } catch (IOException e) {
            err.println("tandem roles: " + uri + " did not answer with JSON: " + e.getMessage());
            return 1;
        }
        if (explained == null || !explained.has("roles")) {
            err.println("tandem roles: " + uri + " did not answer with Tandem's role explanation (is it a Tandem master?)");
            return 1;
        }
        out.print(RolesReport.render(explained));
        out.flush();
        return 0;
    }
}
