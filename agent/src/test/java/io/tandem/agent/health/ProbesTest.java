package io.tandem.agent.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.mesos.v1.Protos.HealthCheck;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The probes against real processes and sockets. */
class ProbesTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path sandbox;

    private static Probe.Outcome outcome(CompletableFuture<Probe.Outcome> future) {
        return future.orTimeout(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS).join();
    }

    @Test
    void aCommandRunsInTheSandboxWithTheTaskEnvironment() throws IOException {
        Files.writeString(sandbox.resolve("ok"), "");
        Probe probe = new CommandProbe(List.of("/bin/sh", "-c", "test -f ok && test \"$COLOUR\" = blue"),
                Map.of("COLOUR", "blue"), sandbox);

        assertThat(outcome(probe.run()).healthy()).isTrue();
    }

    @Test
    void aCommandThatExitsNonZeroIsUnhealthy() {
        Probe probe = new CommandProbe(List.of("/bin/sh", "-c", "exit 3"), Map.of(), sandbox);

        assertThat(outcome(probe.run())).isEqualTo(Probe.Outcome.unhealthy("health check command exited with status 3"));
    }

    @Test
    void anAbandonedCommandIsKilledWithWhatItForked() throws IOException {
        Path pidFile = sandbox.resolve("pid");
        Probe probe = new CommandProbe(List.of("/bin/sh", "-c", "sleep 600 & echo $! > pid; wait"), Map.of(), sandbox);
        CompletableFuture<Probe.Outcome> attempt = probe.run();
        Awaitility.await().atMost(WAIT).until(() -> Files.exists(pidFile) && !Files.readString(pidFile).isBlank());
        long sleeper = Long.parseLong(Files.readString(pidFile).strip());

        attempt.complete(Probe.Outcome.unhealthy("timed out"));

        Awaitility.await().atMost(WAIT).until(() -> ProcessHandle.of(sleeper).map(p -> !p.isAlive()).orElse(true));
        assertThat(ProcessHandle.of(sleeper).filter(ProcessHandle::isAlive)).isEmpty();
    }

    @Test
    void tcpIsHealthyWhileSomethingListens() throws IOException {
        int port;
        try (ServerSocket server = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            port = server.getLocalPort();
            assertThat(outcome(new TcpProbe(port, Duration.ofSeconds(5)).run()).healthy()).isTrue();
        }
        assertThat(outcome(new TcpProbe(port, Duration.ofSeconds(5)).run()).healthy()).isFalse();
    }

    @Test
    void httpTreats2xxAnd3xxAsHealthyAndTheRestAsNot() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/ok", exchange -> { exchange.sendResponseHeaders(204, -1); exchange.close(); });
        server.createContext("/sick", exchange -> { exchange.sendResponseHeaders(503, -1); exchange.close(); });
        server.start();
        try {
            int port = server.getAddress().getPort();
            HealthCheck.HTTPCheckInfo.Builder http = HealthCheck.HTTPCheckInfo.newBuilder().setPort(port);
            assertThat(outcome(new HttpProbe(http.setPath("/ok").build(), Duration.ofSeconds(5)).run()).healthy()).isTrue();
            assertThat(outcome(new HttpProbe(http.setPath("/sick").build(), Duration.ofSeconds(5)).run()))
                    .isEqualTo(Probe.Outcome.unhealthy("GET http://127.0.0.1:" + port + "/sick answered 503"));
        } finally {
            server.stop(0);
        }
    }
}
