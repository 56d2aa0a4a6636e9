package io.tandem.master;

import com.google.protobuf.UninitializedMessageException;
import io.tandem.api.MalformedMessageException;
import io.tandem.api.MediaType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.function.Function;
import org.apache.mesos.v1.master.Protos.Call;
import org.apache.mesos.v1.master.Protos.Response;

/**
 * {@code POST /api/v1}: the Mesos v1 operator API, in JSON or protobuf: reads (GET_HEALTH, GET_VERSION,
 * GET_STATE, GET_AGENTS, GET_FRAMEWORKS, GET_TASKS, GET_ROLES, GET_WEIGHTS, GET_QUOTA, GET_MAINTENANCE_SCHEDULE,
 * GET_MAINTENANCE_STATUS) and, on the loop, UPDATE_WEIGHTS, UPDATE_QUOTA, RESERVE_RESOURCES and
 * UNRESERVE_RESOURCES ({@link OperatorCalls}), MARK_AGENT_GONE, and the maintenance calls
 * ({@link MaintenanceCalls}); and {@code GET /health}, {@code GET /roles/explain},
 * {@code GET /monitor/statistics} ({@link TaskStatistics}) and {@code GET /tasks/usage}
 * ({@link TasksWithUsage}). Answers come from a {@link ClusterSnapshot} taken
 * on the loop and are built and encoded here, on Jetty's thread.
 */
final class OperatorApi extends HttpServlet {
    static final String PATH = "/api/v1";
    static final String HEALTH_PATH = "/health";

    private static final java.time.Duration TURNING = java.time.Duration.ofSeconds(1);

    private final transient MasterLoop loop;

    OperatorApi(MasterLoop loop) {
        this.loop = loop;
    }

    /** {@code GET /health}: 200 once the loop answers; {@code GET /roles/explain}: {@link RolesExplanation}. */
    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        try {
            if (HEALTH_PATH.equals(request.getServletPath())) {
                awaitLoop();
                HttpReplies.text(response, HttpServletResponse.SC_OK, "ok\n");
                return;
            }
            ClusterSnapshot snapshot = HttpReplies.await(loop.snapshot());
            if (RolesExplanation.PATH.equals(request.getServletPath())) {
                json(response, RolesExplanation.json(snapshot));
                return;
            }
            if (TaskStatistics.PATH.equals(request.getServletPath())) {
                json(response, TaskStatistics.json(snapshot));
                return;
            }
            if (TasksWithUsage.PATH.equals(request.getServletPath())) {
                json(response, TasksWithUsage.json(snapshot));
                return;
            }
            HttpReplies.text(response, HttpServletResponse.SC_OK, "ok\n");
        } catch (HttpReplies.LoopUnavailableException e) {
            HttpReplies.text(response, e.status(), e.getMessage());
        }
    }

    private static void json(HttpServletResponse response, String body) throws IOException {
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType("application/json");
        response.getOutputStream().write(body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        MediaType contentType;
        MediaType accept;
        Call call;
        try {
            contentType = MediaType.fromHeader(request.getContentType());
            accept = MediaType.fromHeader(request.getHeader("Accept"));
            call = contentType.decode(request.getInputStream().readAllBytes(), Call.newBuilder()).build();
        } catch (MalformedMessageException | UninitializedMessageException e) {
            HttpReplies.text(response, HttpServletResponse.SC_BAD_REQUEST, "Failed to parse the call: " + e.getMessage());
            return;
        }
        Response answer;
        try {
            if (OperatorCalls.CHANGES.contains(call.getType())) {
                reply(response, HttpReplies.await(loop.operatorCall(call)));
                return;
            }
            answer = switch (call.getType()) {
                case GET_HEALTH -> health();
                case GET_VERSION -> OperatorResponses.version();
                case GET_STATE -> fromSnapshot(OperatorResponses::state);
                case GET_AGENTS -> fromSnapshot(OperatorResponses::getAgents);
                case GET_FRAMEWORKS -> fromSnapshot(OperatorResponses::getFrameworks);
                case GET_TASKS -> fromSnapshot(OperatorResponses::getTasks);
                case GET_ROLES -> fromSnapshot(OperatorResponses::getRoles);
                case GET_WEIGHTS -> fromSnapshot(RoleResponses::getWeights);
                case GET_QUOTA -> fromSnapshot(RoleResponses::getQuota);
                case GET_MAINTENANCE_SCHEDULE -> fromSnapshot(MaintenanceResponses::getSchedule);
                case GET_MAINTENANCE_STATUS -> fromSnapshot(MaintenanceResponses::getStatus);
                default -> null;
            };
        } catch (HttpReplies.LoopUnavailableException e) {
            HttpReplies.text(response, e.status(), e.getMessage());
            return;
        }
        if (answer == null) {
            HttpReplies.text(response, HttpServletResponse.SC_BAD_REQUEST, "Operator call " + call.getType()
                    + " is not supported by Tandem; supported: " + String.join(", ", OperatorResponses.supported()));
            return;
        }
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType(accept.mime());
        response.getOutputStream().write(accept.encode(answer));
    }

    /** 200 or 202 without a body, as Mesos answers; else the status with the reason as plain text. */
    private static void reply(HttpServletResponse response, CallResult result) throws IOException {
        if (result.status() < 300) {
            response.setStatus(result.status());
        } else {
            HttpReplies.text(response, result.status(), result.message());
        }
    }

    /**
     * Healthy while the loop turns (it finished an event within {@link #TURNING}); else once it answers.
     * No snapshot of the cluster is needed to know that.
     */
    private Response health() {
        awaitLoop();
        return OperatorResponses.health();
    }

    private void awaitLoop() {
        if (!loop.isTurning(TURNING)) {
            HttpReplies.await(loop.ping());
        }
    }

    private Response fromSnapshot(Function<ClusterSnapshot, Response> build) {
        return build.apply(HttpReplies.await(loop.snapshot()));
    }
}
