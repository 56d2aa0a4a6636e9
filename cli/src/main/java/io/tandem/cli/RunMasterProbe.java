package io.tandem.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Names why {@code tandem run} cannot reach its masters. The SDK only says that a SUBSCRIBE failed
 * (often as a bare {@code ConnectException}) and retries; this opens a plain TCP connection to each
 * master and prints one line per master and distinct cause, e.g.
 * {@code cannot reach the master at http://notaurl:80: unknown host notaurl; retrying}.
 *
 * <p>Called from the thread that waits for the run; not thread-safe.
 */
final class RunMasterProbe {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

    private final List<String> masters;
    private final PrintWriter err;
    private final Set<String> told = new HashSet<>();

    RunMasterProbe(List<String> masters, PrintWriter err) {
        this.masters = List.copyOf(masters);
        this.err = err;
    }

    /** Probes every master; prints a line for each cause not printed before for that master. */
    void check() {
        for (String master : masters) {
            Optional<URI> address = address(master);
            if (address.isEmpty()) {
                continue;   // refused as a usage error before the run starts
            }
            Optional<String> cause = unreachable(address.get());
            if (cause.isPresent() && told.add(address.get() + " " + cause.get())) {
                err.println("tandem run: cannot reach the master at " + address.get() + ": " + cause.get() + "; retrying");
                err.flush();
            }
        }
    }

    /**
     * The {@code scheme://host:port} the SDK connects to for a {@code --master} URL, with the port
     * the scheme implies when none is written; empty when the URL is malformed or names no host.
     */
    static Optional<URI> address(String master) {
        String url = master.strip();
        try {
            URI uri = URI.create(url.contains("://") ? url : "http://" + url);
            if (uri.getHost() == null || uri.getScheme() == null) {
                return Optional.empty();
            }
            int port = uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
            return Optional.of(new URI(uri.getScheme(), null, uri.getHost(), port, null, null, null));
        } catch (IllegalArgumentException | java.net.URISyntaxException e) {
            return Optional.empty();
        }
    }

    /** Why a TCP connection to the address fails, in words; empty when it succeeds. */
    static Optional<String> unreachable(URI address) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address.getHost(), address.getPort()), (int) CONNECT_TIMEOUT.toMillis());
            return Optional.empty();
        } catch (UnknownHostException e) {
            return Optional.of("unknown host " + address.getHost());
        } catch (SocketTimeoutException e) {
            return Optional.of("no answer within " + RunCommand.text(CONNECT_TIMEOUT));
        } catch (NoRouteToHostException e) {
            return Optional.of("no route to host");
        } catch (ConnectException e) {
            String message = e.getMessage();
            return Optional.of(message == null || message.isBlank() ? "connection refused" : message.toLowerCase(java.util.Locale.ROOT));
        } catch (IOException e) {
            return Optional.of(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
    }
}
