package io.tandem.agent.health;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** Opens a TCP connection to {@code 127.0.0.1:port}: healthy when it is accepted. */
public final class TcpProbe implements Probe {
    private final InetSocketAddress address;
    private final Duration timeout;

    public TcpProbe(int port, Duration timeout) {
        this.address = new InetSocketAddress("127.0.0.1", port);
        this.timeout = timeout;
    }

    @Override
    public CompletableFuture<Outcome> run() {
        CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        // connect(2) blocks; the connect timeout is a backstop, the HealthChecker abandons on time.
        Thread.ofVirtual().name("health-check-tcp").start(() -> {
            try (Socket socket = new Socket()) {
                socket.connect(address, (int) Math.max(1, timeout.plusSeconds(1).toMillis()));
                outcome.complete(Outcome.healthy("connected to 127.0.0.1:" + address.getPort()));
            } catch (IOException e) {
                outcome.complete(Outcome.unhealthy("could not connect to 127.0.0.1:" + address.getPort()
                        + ": " + e.getMessage()));
            }
        });
        return outcome;
    }
}
