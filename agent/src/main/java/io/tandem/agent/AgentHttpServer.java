package io.tandem.agent;

import io.tandem.agent.sandbox.FilesApi;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.Executors;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The agent's HTTP server (Jetty): the executor API, the operator API, the file API
 * ({@code /files/...}) and {@code GET /health}.
 * Requests run on virtual threads, so an executor's long-lived SUBSCRIBE response may block its
 * thread while it waits for events.
 */
final class AgentHttpServer implements AutoCloseable {
    private final Server server;
    private final ServerConnector connector;

    /** Binds the port at once, so {@link #port()} is known before the servlets exist. */
    AgentHttpServer(String host, int port) throws IOException {
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("agent-http");
        threads.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server = new Server(threads);
        connector = new ServerConnector(server);
        connector.setHost(host);
        connector.setPort(port);
        // Executors subscribing in a burst (a thousand after an agent restart) overflowed the JDK's
        // default backlog of 50 on the master; the agent's API gets the same headroom.
        connector.setAcceptQueueSize(1024);
        // Executors hold their SUBSCRIBE response open with nothing to say for as long as they run.
        connector.setIdleTimeout(0);
        server.addConnector(connector);
        connector.open();
    }

    void start(HttpServlet executorApi, HttpServlet operatorApi, HttpServlet filesApi) throws Exception {
        ServletContextHandler context = new ServletContextHandler();
        context.addServlet(new ServletHolder(filesApi), FilesApi.PATH);
        context.addServlet(new ServletHolder(executorApi), ExecutorApi.PATH);
        context.addServlet(new ServletHolder(operatorApi), OperatorApi.PATH);
        context.addServlet(new ServletHolder(new Health()), "/health");
        server.setHandler(context);
        server.start();
    }

    int port() {
        return connector.getLocalPort();
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }

    private static final class Health extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            HttpReplies.text(response, HttpServletResponse.SC_OK, "healthy\n");
        }
    }
}
