package io.tandem.master;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * One HTTP/1.1 POST over a plain socket whose response is read as raw text on a thread of its own,
 * so that a test decides exactly when the connection closes (a {@code java.net.http} client may keep
 * it open in its pool).
 */
final class RawHttpStream implements AutoCloseable {
    private final Socket socket;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private volatile boolean ended;

    private RawHttpStream(Socket socket) {
        this.socket = socket;
    }

    /** Opens a connection to {@code master}, posts {@code body} as JSON to {@code path} and starts reading. */
    static RawHttpStream post(URI master, String path, byte[] body) {
        try {
            Socket socket = new Socket(master.getHost(), master.getPort());
            String head = "POST " + path + " HTTP/1.1\r\n"
                    + "Host: " + master.getHost() + ":" + master.getPort() + "\r\n"
                    + "Content-Type: application/json\r\n"
                    + "Accept: application/json\r\n"
                    + "Content-Length: " + body.length + "\r\n\r\n";
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            RawHttpStream stream = new RawHttpStream(socket);
            Thread.ofVirtual().name("test-raw-reader").start(stream::read);
            return stream;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void read() {
        byte[] buffer = new byte[8192];
        try (InputStream in = socket.getInputStream()) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                synchronized (received) {
                    received.write(buffer, 0, n);
                }
            }
        } catch (IOException e) {
            // closed by the test or the master
        } finally {
            ended = true;
        }
    }

    /** Everything received so far (status line, headers and chunked body), as text. */
    String received() {
        synchronized (received) {
            return received.toString(StandardCharsets.UTF_8);
        }
    }

    boolean ended() {
        return ended;
    }

    /** Closes the connection, as a scheduler or agent that exits does. */
    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }
}
