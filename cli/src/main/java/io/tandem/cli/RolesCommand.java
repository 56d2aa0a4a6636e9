package io.tandem.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
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

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "How long to wait for the master (default: ${DEFAULT-VALUE}).")
    double timeout = 10;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        URI uri = explainUri();
        String body;
        try {
            body = fetch(uri);
        } catch (IOException e) {
            err.println("tandem roles: cannot get the roles from " + uri + ": " + describe(e));
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

    /** {@code host:5050} and {@code http://host:5050/} both work. */
    URI explainUri() {
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
        return URI.create(base.getScheme() + "://" + base.getRawAuthority() + PATH);
    }

    private String fetch(URI uri) throws IOException, InterruptedException {
        Duration wait = Duration.ofMillis(Math.round(timeout * 1000));
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NORMAL).connectTimeout(wait).build();
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(wait).header("Accept", "application/json")
                .GET().build();
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
