package io.tandem.cli;

import io.tandem.api.MalformedMessageException;
import io.tandem.api.MesosJson;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.apache.mesos.v1.master.Protos.Response;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
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

    @Option(names = "--master", required = true, paramLabel = "URL",
            description = "Master URL, e.g. http://127.0.0.1:5050 (env TANDEM_MASTER).")
    String master;

    @Option(names = "--json", description = "Print the master's JSON answer as it is.")
    boolean json;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "How long to wait for the master (default: ${DEFAULT-VALUE}).")
    double timeout = 10;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        URI uri = operatorUri();
        String body;
        try {
            body = fetch(uri);
        } catch (IOException e) {
            err.println("tandem state: cannot get the state from " + uri + ": " + describe(e));
            return 1;
        }
        if (json) {
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

    /** The operator endpoint for a master URL: {@code host:5050} and {@code http://host:5050/} both work. */
    URI operatorUri() {
        String url = master.strip();
        URI base;
        try {
            base = URI.create(url.contains("://") ? url : "http://" + url);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--master '" + master + "' is not a URL");
        }
        if (base.getHost() == null) {
            throw new ParameterException(spec.commandLine(), "--master '" + master + "' names no host");
        }
        String path = base.getPath() == null || base.getPath().isEmpty() || base.getPath().equals("/")
                ? "/api/v1" : base.getPath();
        return URI.create(base.getScheme() + "://" + base.getRawAuthority() + path);
    }

    private String fetch(URI uri) throws IOException, InterruptedException {
        Duration wait = Duration.ofMillis(Math.round(timeout * 1000));
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NORMAL).connectTimeout(wait).build();
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(wait)
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"GET_STATE\"}")).build();
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            String text = response.body().strip();
            throw new IOException("the master answered " + response.statusCode() + (text.isEmpty() ? "" : ": " + text));
        }
        return response.body();
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        if (e instanceof java.net.ConnectException) {
            return "connection refused" + (message == null || message.isBlank() ? "" : " (" + message + ")");
        }
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }
}
