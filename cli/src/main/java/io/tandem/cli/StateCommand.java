package io.tandem.cli;

import io.tandem.api.MalformedMessageException;
import io.tandem.api.MesosJson;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.util.concurrent.Callable;
import org.apache.mesos.v1.master.Protos.Response;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code tandem state}: asks a master for {@code GET_STATE} over the operator API
 * ({@code POST /api/v1}, JSON) and prints agents, frameworks and tasks as tables, or the raw answer
 * with {@code --json}. Works against any Mesos-compatible master; follows a standby's redirect.
 */
@Command(name = "state", mixinStandardHelpOptions = true,
        description = "Show the cluster's agents, frameworks and tasks.")
final class StateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    MasterReport options;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        MasterQuery query = MasterQuery.of(options.master, options.timeout, spec.commandLine());
        URI uri = query.atOrOwn("/api/v1");
        String body;
        try {
            body = query.postJson(uri, "{\"type\":\"GET_STATE\"}");
        } catch (IOException e) {
            err.println("tandem state: cannot get the state from " + uri + ": " + MasterQuery.describe(e));
            return 1;
        }
        if (options.json) {
            out.println(body);
            return 0;
        }
        try {
            // buildPartial: show what the master sent even if it leaves out a field Mesos calls required.
            Response response = MesosJson.parse(body, Response.newBuilder()).buildPartial();
            out.print(StateReport.render(response.getGetState()));
            out.flush();
            return 0;
        } catch (MalformedMessageException e) {
            err.println("tandem state: " + uri + " did not answer with a GET_STATE response: " + e.getMessage());
            return 1;
        }
    }
}
