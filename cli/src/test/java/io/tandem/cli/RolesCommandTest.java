package io.tandem.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import io.tandem.master.Master;
import io.tandem.master.MasterConfig;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.InstantSource;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class RolesCommandTest {
    /** What a master's GET /roles/explain answers: one role with a weight and quota, two frameworks. */
    static final String EXPLAINED = """
            {"allocator":"drf","fair_share_resource":"cpus","cluster":"cpus:18;mem:36864","quota_warnings":[],
             "roles":[{"role":"eng","allocated":"cpus:12;mem:28672","dominant_share":0.7777,"share":0.3888,
                       "weight":2.0,"quota":{"guarantee":"cpus:2","limit":"cpus:16"},
                       "frameworks":[
                         {"framework_id":"m-0000","name":"a","allocated":"cpus:6;mem:24576","dominant_share":0.6666,
                          "share":0.6666,"demand":[{"resources":"cpus:2;mem:8192","count":3,"reason":null}],
                          "unmet":[]},
                         {"framework_id":"m-0001","name":"b","allocated":"cpus:6;mem:4096","dominant_share":0.3333,
                          "share":0.3333,"demand":[{"resources":"cpus:64;mem:1024","count":1,"reason":null}],
                          "unmet":[{"resources":"cpus:64;mem:1024","count":1,
                                    "reason":"a task of cpus:64;mem:1024 fits on no agent; the largest has cpus:18"}]}]}]}
            """;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<HttpServer> servers = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopServers() {
        servers.forEach(s -> s.stop(0));
    }

    private int execute(String... args) {
        CommandLine commandLine = new CommandLine(new RolesCommand());
        commandLine.registerConverter(Duration.class, new DurationConverter()); // as Main does
        commandLine.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    private String master(int status, String body) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        servers.add(server);
        server.createContext("/", exchange -> {
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Test
    void printsRolesFrameworksAndUnmetDemandWithTheReason() throws Exception {
        String master = master(200, EXPLAINED);

        int exit = execute("--master", master + "/");

        assertThat(exit).isZero();
        assertThat(requests).containsExactly("GET /roles/explain");
        String text = out.toString();
        assertThat(text).contains("Allocator: drf   Cluster: cpus:18;mem:36864");
        assertThat(text).containsPattern("eng +cpus:12;mem:28672 +0\\.778 +0\\.389 +2 +cpus:2 +cpus:16 +2");
        assertThat(text).containsPattern("eng +m-0000 +a +cpus:6;mem:24576 +0\\.667 +3 x cpus:2;mem:8192 +-");
        assertThat(text).containsPattern("eng +m-0001 +b .* +1 x cpus:64;mem:1024 +1 x cpus:64;mem:1024");
        assertThat(text).contains("Unmet demand\nROLE", "1 x cpus:64;mem:1024  a task of cpus:64;mem:1024 fits on no"
                + " agent; the largest has cpus:18");
    }

    @Test
    void readsARealMastersAnswer(@TempDir Path dir) throws Exception {
        MasterConfig config = MasterConfig.defaults(dir).withBind("127.0.0.1", 0).withAllocator("mmf", "mem");
        try (Master running = Master.start(config, InstantSource.system())) {
            HttpResponse<String> weights = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    running.url().resolve("/api/v1")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"UPDATE_WEIGHTS\",\"update_weights\":"
                            + "{\"weight_infos\":[{\"role\":\"eng\",\"weight\":2.5}]}}")).build(),
                    HttpResponse.BodyHandlers.ofString());

            int exit = execute("--master", running.url().toString());

            assertThat(weights.statusCode()).isEqualTo(200);
            assertThat(exit).isZero();
            assertThat(out.toString()).contains("Allocator: mmf (over mem)").containsPattern("eng +- +.* +2\\.5 ");
        }
    }

    @Test
    void printsTheRawAnswerWithJson() throws Exception {
        String master = master(200, EXPLAINED);

        int exit = execute("--master", master, "--json");

        assertThat(exit).isZero();
        assertThat(out.toString().strip()).isEqualTo(EXPLAINED.strip());
    }

    @Test
    void aMasterThatIsNotTandemsIsReported() throws Exception {
        String master = master(404, "not found");

        int exit = execute("--master", master);

        assertThat(exit).isEqualTo(1);
        assertThat(err.toString()).contains("tandem roles: cannot get the roles", "404");
    }

    @Test
    void anUnreachableMasterIsReported() {
        int exit = execute("--master", "http://127.0.0.1:1");

        assertThat(exit).isEqualTo(1);
        assertThat(err.toString()).contains("connection refused");
    }
}
