package io.tandem.frameworks.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.tandem.frameworks.common.AgentCapacity;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
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
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler's HTTP API (JSON), what {@code tandem service ...} and {@link ServiceClient} talk to:
 *
 * <pre>
 * GET    /v1/apps                   every app's {@link AppStatus}
 * GET    /v1/apps/NAME              one app's status (404 when unknown)
 * POST   /v1/apps[?origin=app.yaml] body: an app file; deploys it (a new app, a rolling update or a scale)
 * PUT    /v1/apps/NAME/instances    body: {"instances": N}; scales
 * DELETE /v1/apps/NAME              removes the app and kills its instances
 * </pre>
 *
 * Errors answer 400/404 with {@code {"error": "..."}} naming what was wrong. Requests are handled on
 * Jetty's threads and run on the service loop.
 */
final class ServiceHttpApi implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ServiceHttpApi.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String APPS = "/v1/apps";
    private final Server server;
    private final URI url;

    private ServiceHttpApi(Server server, URI url) {
        this.server = server;
        this.url = url;
    }

    static ServiceHttpApi start(ServiceLoop loop, ServiceFeasibility.Agents agents, String host, int port) {
        QueuedThreadPool threads = new QueuedThreadPool(16, 2);
        threads.setName("service-api");
        threads.setDaemon(true);
        Server server = new Server(threads);
        ServerConnector connector = new ServerConnector(server, 1, 1);
        connector.setHost(host);
        connector.setPort(port);
        server.addConnector(connector);
        server.setHandler(new Routes(loop, agents));
        try {
            server.start();
        } catch (Exception e) {
            try {
                server.stop();
            } catch (Exception ignored) {
                // already failing to start
            }
            throw new IllegalStateException("cannot serve the service API on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        return new ServiceHttpApi(server, URI.create("http://" + host + ":" + connector.getLocalPort()));
    }

    URI url() {
        return url;
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop the service API: " + e.getMessage(), e);
        }
    }

    /** Maps each request to the loop. */
    private static final class Routes extends Handler.Abstract {
        private final ServiceLoop loop;
        private final ServiceFeasibility.Agents agents;

        Routes(ServiceLoop loop, ServiceFeasibility.Agents agents) {
            this.loop = loop;
            this.agents = agents;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) throws IOException {
            String path = request.getHttpURI().getPath();
            String method = request.getMethod();
            Answer answer;
            try {
                answer = route(method, path, request);
            } catch (Refusal e) {
                answer = new Answer(HttpStatus.CONFLICT_409, Map.of("error", e.getMessage()));
            } catch (IllegalArgumentException e) {
                answer = new Answer(HttpStatus.BAD_REQUEST_400, Map.of("error", e.getMessage()));
            } catch (RuntimeException e) {
                answer = new Answer(HttpStatus.INTERNAL_SERVER_ERROR_500, Map.of("error", String.valueOf(e.getMessage())));
            }
            response.setStatus(answer.status());
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            Content.Sink.write(response, true, JSON.writeValueAsString(answer.body()) + "\n", callback);
            return true;
        }

        private Answer route(String method, String path, Request request) throws IOException {
            if (path.equals(APPS) || path.equals(APPS + "/")) {
                return switch (method) {
                    case "GET" -> ok(loop.call(loop::statuses));
                    case "POST" -> deploy(request);
                    default -> notAllowed(method, path);
                };
            }
            if (!path.startsWith(APPS + "/")) {
                return new Answer(HttpStatus.NOT_FOUND_404, Map.of("error", "no such resource: " + path));
            }
            String[] parts = path.substring(APPS.length() + 1).split("/");
            String name = parts[0];
            if (parts.length == 2 && parts[1].equals("instances") && method.equals("PUT")) {
                int count = instances(Content.Source.asString(request, StandardCharsets.UTF_8));
                Optional<AppStatus> known = loop.call(() -> loop.status(name));
                if (known.isPresent()) {
                    checkFeasible(loop.call(() -> loop.spec(name)), count);
                }
                return found(name, loop.call(() -> loop.scale(name, count)));
            }
            if (parts.length != 1) {
                return notAllowed(method, path);
            }
            return switch (method) {
                case "GET" -> found(name, loop.call(() -> loop.status(name)));
                case "DELETE" -> found(name, loop.call(() -> loop.remove(name))
                        .map(killed -> Map.of("removed", name, "killing", killed)));
                default -> notAllowed(method, path);
            };
        }

        private Answer deploy(Request request) throws IOException {
            Fields query = Request.extractQueryParameters(request);
            String origin = Optional.ofNullable(query.getValue("origin")).orElse("app file");
            String text = Content.Source.asString(request, StandardCharsets.UTF_8);
            AppSpec spec = AppSpecReader.read(text, origin);
            checkFeasible(spec, spec.instances());
            return ok(loop.call(() -> loop.deploy(spec)));
        }

        /** Refuses a demand no agent could ever meet; when the master cannot be asked, lets it wait. */
        private void checkFeasible(AppSpec spec, int instances) {
            List<AgentCapacity> known;
            try {
                known = agents.fetch();
            } catch (IOException e) {
                log.debug("cannot read the master's agents to judge app {}: {}", spec.name(), e.getMessage());
                return;
            }
            try {
                ServiceFeasibility.check(spec, instances, known);
            } catch (IllegalArgumentException e) {
                throw new Refusal(spec.name() + ": " + e.getMessage());
            }
        }

        private static int instances(String body) throws IOException {
            JsonNode node;
            try {
                node = JSON.readTree(body);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalArgumentException("body must be {\"instances\": N}: " + e.getOriginalMessage());
            }
            JsonNode count = node == null ? null : node.get("instances");
            if (count == null || !count.isInt() || count.asInt() < 0 || count.asInt() > AppSpecReader.MAX_INSTANCES) {
                throw new IllegalArgumentException("instances must be a whole number from 0 to "
                        + AppSpecReader.MAX_INSTANCES + ", got " + count);
            }
            return count.asInt();
        }

        private static Answer ok(Object body) {
            return new Answer(HttpStatus.OK_200, body);
        }

        private static Answer found(String name, Optional<?> body) {
            return body.<Answer>map(ServiceHttpApi.Routes::ok)
                    .orElseGet(() -> new Answer(HttpStatus.NOT_FOUND_404, Map.of("error", "no app named '" + name + "'")));
        }

        private static Answer notAllowed(String method, String path) {
            return new Answer(HttpStatus.METHOD_NOT_ALLOWED_405, Map.of("error", method + " " + path + " is not supported"));
        }
    }

    private record Answer(int status, Object body) {}

    /** A well-formed demand the cluster can never meet: answered 409. */
    private static final class Refusal extends RuntimeException {
        Refusal(String message) {
            super(message);
        }
    }
}
