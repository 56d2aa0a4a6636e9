package io.tandem.frameworks.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.tandem.frameworks.service.AppSpec.HealthCheckSpec;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HealthChecksTest {
    record Result(String taskId, boolean ok, String detail) {}

    private final List<Result> results = new CopyOnWriteArrayList<>();
    private final HealthChecks checks = new HealthChecks((id, ok, detail) -> results.add(new Result(id, ok, detail)));
    private HttpServer server;

    @BeforeEach
    void startServer() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/ok", e -> { e.sendResponseHeaders(204, -1); e.close(); });
        server.createContext("/sick", e -> { e.sendResponseHeaders(503, -1); e.close(); });
        server.start();
    }

    @AfterEach
    void stop() {
        checks.close();
        server.stop(0);
    }

    private static HealthCheckSpec check(HealthCheckSpec.Kind kind, String path) {
        return new HealthCheckSpec(kind, 0, path, Duration.ZERO, Duration.ofMillis(50), Duration.ofSeconds(2), 1);
    }

    private List<Result> of(String taskId) {
        return results.stream().filter(r -> r.taskId().equals(taskId)).toList();
    }

    @Test
    void httpCheckPassesOn2xxAndFailsOtherwiseNamingTheAnswer() {
        int port = server.getAddress().getPort();

        checks.start("good", "127.0.0.1", port, check(HealthCheckSpec.Kind.HTTP, "/ok"));
        checks.start("bad", "127.0.0.1", port, check(HealthCheckSpec.Kind.HTTP, "/sick"));

        await().atMost(Duration.ofSeconds(30)).until(() -> of("good").size() >= 3 && of("bad").size() >= 3);
        assertThat(of("good")).allMatch(Result::ok);
        assertThat(of("bad")).noneMatch(Result::ok)
                .allSatisfy(r -> assertThat(r.detail()).isEqualTo("GET http://127.0.0.1:" + port + "/sick answered 503"));
    }

    @Test
    void tcpCheckFailsWhenNothingListensAndStopsWhenAsked() throws Exception {
        int closed;
        try (ServerSocket free = new ServerSocket(0)) {
            closed = free.getLocalPort();
        }
        checks.start("open", "127.0.0.1", server.getAddress().getPort(), check(HealthCheckSpec.Kind.TCP, "/"));
        checks.start("closed", "127.0.0.1", closed, check(HealthCheckSpec.Kind.TCP, "/"));

        await().atMost(Duration.ofSeconds(30)).until(() -> of("open").size() >= 2 && of("closed").size() >= 2);
        assertThat(of("open")).allMatch(Result::ok);
        assertThat(of("closed")).noneMatch(Result::ok).allSatisfy(r -> assertThat(r.detail()).startsWith("connect 127.0.0.1:" + closed));

        checks.stop("open");
        int seen = of("open").size();
        int closedSeen = of("closed").size();
        await().atMost(Duration.ofSeconds(30)).until(() -> of("closed").size() >= closedSeen + 3);
        assertThat(of("open").size()).isLessThanOrEqualTo(seen + 1);   // at most a probe already under way
    }
}
