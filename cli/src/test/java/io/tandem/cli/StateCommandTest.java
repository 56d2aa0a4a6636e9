package io.tandem.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.tandem.api.MesosJson;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.mesos.v1.master.Protos.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class StateCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<HttpServer> servers = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopServers() {
        servers.forEach(s -> s.stop(0));
    }

    private int execute(String... args) {
        CommandLine commandLine = new CommandLine(new StateCommand());
        commandLine.registerConverter(Duration.class, new DurationConverter()); // as Main does
        commandLine.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    private HttpServer server() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        servers.add(server);
        return server;
    }

    /** A master that answers GET_STATE with {@link StateReportTest#state()}. */
    private String master() throws IOException {
        HttpServer server = server();
        String body = MesosJson.print(Response.newBuilder().setType(Response.Type.GET_STATE)
                .setGetState(StateReportTest.state()).build());
        server.createContext("/api/v1", exchange -> {
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " "
                    + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Test
    void printsTheClusterAsTables() throws Exception {
        String master = master();

        int exit = execute("--master", master);

        assertThat(exit).isZero();
        assertThat(out.toString()).isEqualTo(StateReport.render(StateReportTest.state()));
        assertThat(requests).containsExactly("POST /api/v1 {\"type\":\"GET_STATE\"}");
    }

    @Test
    void printsTheRawAnswerWithJson() throws Exception {
        String master = master();

        int exit = execute("--master", master + "/", "--json");

        assertThat(exit).isZero();
        Response parsed = MesosJson.parse(out.toString(), Response.newBuilder()).build();
        assertThat(parsed.getGetState()).isEqualTo(StateReportTest.state());
    }

    @Test
    void followsAStandbysRedirect() throws Exception {
        String leader = master();
        HttpServer standby = server();
        standby.createContext("/", exchange -> {
            exchange.getResponseHeaders().set("Location", "//" + leader.substring("http://".length()) + "/api/v1");
            exchange.sendResponseHeaders(307, -1);
            exchange.close();
        });
        standby.start();

        int exit = execute("--master", "127.0.0.1:" + standby.getAddress().getPort());

        assertThat(exit).isZero();
        assertThat(out.toString()).contains("hello-0");
    }

    @Test
    void anUnreachableMasterIsOneLineAndExitOne() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }

        int exit = execute("--master", "http://127.0.0.1:" + port);

        assertThat(exit).isEqualTo(1);
        assertThat(err.toString()).startsWith("tandem state: cannot get the state from http://127.0.0.1:" + port
                + "/api/v1: connection refused").hasLineCount(1);
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void anErrorAnswerIsReportedWithItsText() throws Exception {
        HttpServer server = server();
        server.createContext("/api/v1", exchange -> {
            byte[] text = "No leader elected".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(503, text.length);
            exchange.getResponseBody().write(text);
            exchange.close();
        });
        server.start();

        int exit = execute("--master", "http://127.0.0.1:" + server.getAddress().getPort());

        assertThat(exit).isEqualTo(1);
        assertThat(err.toString()).contains("the master answered 503: No leader elected");
    }

    @Test
    void aMasterWithoutAHostIsAUsageError() {
        assertThat(execute("--master", "http:///api")).isEqualTo(2);
        assertThat(err.toString()).contains("names no host");
    }
}
