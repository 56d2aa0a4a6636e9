package io.tandem.agent;

import io.tandem.agent.loop.EventLoop;
import io.tandem.api.MalformedMessageException;
import io.tandem.api.MediaType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.ExecutionException;
import org.apache.mesos.v1.agent.Protos.Call;
import org.apache.mesos.v1.agent.Protos.Response;

/**
 * {@code POST /api/v1}: the Mesos v1 agent operator API, for the calls that read the agent's state
 * (GET_HEALTH, GET_STATE, GET_TASKS, GET_EXECUTORS, GET_FRAMEWORKS, GET_AGENT) and GET_CONTAINERS
 * (the running command tasks' usage statistics, read on the request thread). Others get 501.
 *
 * <p>Runs on Jetty's request threads; state is read on the agent loop.
 */
final class OperatorApi extends HttpServlet {
    static final String PATH = "/api/v1";

    private final transient EventLoop loop;
    private final transient OperatorState state;
    private final transient ContainerUsage usage;

    OperatorApi(EventLoop loop, OperatorState state, ContainerUsage usage) {
        this.loop = loop;
        this.state = state;
        this.usage = usage;
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        MediaType accept;
        Call call;
        try {
            accept = MediaType.fromHeader(request.getHeader("Accept"));
            call = MediaType.fromHeader(request.getContentType())
                    .decode(request.getInputStream().readAllBytes(), Call.newBuilder()).buildPartial();
        } catch (MalformedMessageException e) {
            HttpReplies.text(response, HttpServletResponse.SC_BAD_REQUEST, "Failed to parse body: " + e.getMessage());
            return;
        }
        Response.Builder answer = Response.newBuilder();
        switch (call.getType()) {
            case GET_HEALTH -> answer.setType(Response.Type.GET_HEALTH)
                    .setGetHealth(Response.GetHealth.newBuilder().setHealthy(true));
            case GET_STATE -> answer.setType(Response.Type.GET_STATE).setGetState(onLoop(state::state));
            case GET_TASKS -> answer.setType(Response.Type.GET_TASKS).setGetTasks(onLoop(state::tasks));
            case GET_EXECUTORS -> answer.setType(Response.Type.GET_EXECUTORS).setGetExecutors(onLoop(state::executors));
            case GET_FRAMEWORKS ->
                    answer.setType(Response.Type.GET_FRAMEWORKS).setGetFrameworks(onLoop(state::frameworks));
            case GET_AGENT -> answer.setType(Response.Type.GET_AGENT).setGetAgent(onLoop(state::agent));
            case GET_CONTAINERS -> answer.setType(Response.Type.GET_CONTAINERS)
                    .setGetContainers(usage.containers(onLoop(state::runningContainers)));
            case UNKNOWN -> {
                HttpReplies.text(response, HttpServletResponse.SC_BAD_REQUEST, "Expecting 'type' to be present");
                return;
            }
            default -> {
                HttpReplies.text(response, HttpServletResponse.SC_NOT_IMPLEMENTED,
                        "Call type " + call.getType() + " is not supported by this agent");
                return;
            }
        }
        HttpReplies.message(response, accept, answer.build());
    }

    private <T> T onLoop(java.util.concurrent.Callable<T> read) throws IOException {
        try {
            return loop.call(read).get();
        } catch (ExecutionException e) {
            throw new IOException("agent loop failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
