package io.tandem.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP relay on 127.0.0.1 that forwards every connection to one target and can be cut and restored.
 * {@link InProcessCluster} puts one between each agent and the master when asked, so a test can
 * silence an agent (a network partition) without stopping it: {@code Agent.close()} would kill the
 * agent's tasks, which a real partition does not.
 *
 * <p>While cut, existing connections are closed and new ones refused; {@link #restore()} listens on
 * the same port again. Thread-safe; each connection costs two virtual threads.
 */
final class TcpRelay implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TcpRelay.class);

    private final InetSocketAddress target;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final int port;
    private ServerSocket server;

    TcpRelay(URI target) {
        this.target = new InetSocketAddress(target.getHost(), target.getPort());
        this.server = listen(0);
        this.port = server.getLocalPort();
        acceptOn(server);
    }

    /** {@code http://127.0.0.1:<port>}: give this to the agent as its master. */
    URI url() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** Closes every relayed connection and refuses new ones until {@link #restore()}. */
    synchronized void cut() {
        if (server == null) {
            return;
        }
        closeQuietly(server);
        server = null;
        open.forEach(TcpRelay::closeQuietly);
        open.clear();
        log.info("relay :{} -> {} cut", port, target);
    }

    /** Accepts and forwards connections again, on the same port. */
    synchronized void restore() {
        if (server != null) {
            return;
        }
        server = listen(port);
        acceptOn(server);
        log.info("relay :{} -> {} restored", port, target);
    }

    @Override
    public void close() {
        cut();
    }

    private static ServerSocket listen(int port) {
        try {
            ServerSocket socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return socket;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on 127.0.0.1:" + port + ": " + e.getMessage(), e);
        }
    }

    private void acceptOn(ServerSocket listening) {
        Thread.ofVirtual().name("relay-accept-" + port).start(() -> {
            while (!listening.isClosed()) {
                try {
                    relay(listening.accept());
                } catch (IOException e) {
                    return; // closed by cut()
                }
            }
        });
    }

    private void relay(Socket client) {
        Socket upstream;
        try {
            upstream = new Socket(target.getAddress(), target.getPort());
        } catch (IOException e) {
            closeQuietly(client);
            return;
        }
        open.add(client);
        open.add(upstream);
        synchronized (this) {
            if (server == null) {   // cut while this connection was being set up
                closeQuietly(client);
                closeQuietly(upstream);
                return;
            }
        }
        pump(client, upstream);
        pump(upstream, client);
    }

    private void pump(Socket from, Socket to) {
        Thread.ofVirtual().name("relay-" + port).start(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // one side went away; closing both below ends the other pump too
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                open.remove(from);
                open.remove(to);
            }
        });
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            log.trace("close failed", e);
        }
    }
}
