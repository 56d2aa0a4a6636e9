package io.tandem.frameworks.batch;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.nio.charset.StandardCharsets;

import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The batch scheduler's HTTP API (Jetty, JSON by Jackson):
 *
 * <pre>
 * POST   /jobs        body: a job file (YAML or JSON)  201 {JobStatus} | 400 text naming the field and line
 * GET    /jobs                                         200 [{JobStatus}, ...]
 * GET    /jobs/ID                                      200 {JobStatus} | 404
 * DELETE /jobs/ID     cancel: kill its tasks, fail it  200 {JobStatus} | 404
 * </pre>
 */
final class BatchServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Server server;
    private final ServerConnector connector;

    BatchServer(BatchScheduler scheduler, String bindHost, int port) {
        QueuedThreadPool threads = new QueuedThreadPool(8, 2);
        threads.setName("tandem-batch-http");
        threads.setDaemon(true);
        this.server = new Server(threads);
        this.connector = new ServerConnector(server, 1, 1);
        connector.setHost(bindHost);
        connector.setPort(port);
        server.addConnector(connector);
        server.setHandler(new Api(scheduler));
        try {
            server.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot serve the batch API on " + bindHost + ":" + port + ": " + e.getMessage(), e);
        }
    }

    URI url() {
        return URI.create("http://" + connector.getHost() + ":" + connector.getLocalPort());
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("stopping the batch API failed", e);
        }
    }

    /** The routes. Blocking handler: each request runs on a pool thread and takes the scheduler's lock briefly. */
    private static final class Api extends Handler.Abstract {
        private final BatchScheduler scheduler;

        Api(BatchScheduler scheduler) {
            this.scheduler = scheduler;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            String path = Request.getPathInContext(request).replaceAll("/+$", "");
            String method = request.getMethod();
            if (path.equals("/jobs") && method.equals("POST")) {
                String body = Content.Source.asString(request, StandardCharsets.UTF_8);
                try {
                    Job job = JobReader.read(body, "job");
                    send(response, callback, HttpStatus.CREATED_201, scheduler.submit(job));
                } catch (IllegalArgumentException e) {
                    text(response, callback, HttpStatus.BAD_REQUEST_400, e.getMessage());
                }
            } else if (path.equals("/jobs") && method.equals("GET")) {
                send(response, callback, HttpStatus.OK_200, scheduler.jobs());
            } else if (path.startsWith("/jobs/") && (method.equals("GET") || method.equals("DELETE"))) {
                String id = path.substring("/jobs/".length());
                Optional<JobStatus> status = method.equals("GET") ? scheduler.status(id) : scheduler.cancel(id);
                if (status.isPresent()) {
                    send(response, callback, HttpStatus.OK_200, status.get());
                } else {
                    text(response, callback, HttpStatus.NOT_FOUND_404, "no job " + id + "; tandem batch status lists them");
                }
            } else {
                text(response, callback, HttpStatus.NOT_FOUND_404,
                        "routes: POST /jobs, GET /jobs, GET /jobs/ID, DELETE /jobs/ID");
            }
            return true;
        }

        private static void send(Response response, Callback callback, int status, Object body) throws Exception {
            response.setStatus(status);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            Content.Sink.write(response, true, JSON.writeValueAsString(body), callback);
        }

        private static void text(Response response, Callback callback, int status, String body) {
            response.setStatus(status);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
            Content.Sink.write(response, true, body + "\n", callback);
        }
    }
}
