package io.tandem.master;

import io.tandem.api.MalformedMessageException;
import io.tandem.api.agent.AgentCall;
import io.tandem.api.agent.AgentEvent;
import io.tandem.api.agent.AgentProtocol;
import io.tandem.model.AgentId;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /internal/agent}: Tandem's agent protocol ({@link AgentProtocol}). SUBSCRIBE opens a
 * stream of {@link AgentEvent}s; every other call names the agent and its stream in headers and is
 * answered 202, 400 (malformed) or 403 (not the agent's current stream: subscribe again).
 */
final class AgentEndpoint extends HttpServlet {
    private static final Logger log = LoggerFactory.getLogger(AgentEndpoint.class);

    private final transient MasterLoop loop;

    AgentEndpoint(MasterLoop loop) {
        this.loop = loop;
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        AgentCall call;
        try {
            call = AgentProtocol.decodeCall(request.getInputStream().readAllBytes());
        } catch (MalformedMessageException e) {
            HttpReplies.text(response, HttpServletResponse.SC_BAD_REQUEST, e.getMessage());
            return;
        }
        try {
            if (call instanceof AgentCall.Subscribe subscribe) {
                subscribe(request, response, subscribe);
            } else {
                other(request, response, call);
            }
        } catch (HttpReplies.LoopUnavailableException e) {
            HttpReplies.text(response, e.status(), e.getMessage());
        }
    }

    private void subscribe(HttpServletRequest request, HttpServletResponse response, AgentCall.Subscribe subscribe)
            throws IOException {
        AgentAdmission admission;
        try {
            admission = AgentAdmission.of(subscribe, request.getRemoteAddr());
        } catch (IllegalArgumentException e) {
            HttpReplies.text(response, HttpServletResponse.SC_BAD_REQUEST, "Refused agent subscription: " + e.getMessage());
            return;
        }
        String streamId = UUID.randomUUID().toString();
        AsyncContext async = request.startAsync();
        HttpEventStream<AgentEvent> stream = new HttpEventStream<>(async, AgentProtocol::encode,
                "agent-" + admission.info().getHostname() + "-" + streamId);
        loop.subscribeAgent(admission, stream, streamId).whenComplete((id, failure) -> {
            if (NotDurableException.in(failure) instanceof NotDurableException notStored) {
                log.warn("Agent subscription of {} refused: {}", admission.info().getHostname(), notStored.getMessage());
                stream.refuse(HttpServletResponse.SC_SERVICE_UNAVAILABLE, notStored.getMessage());
                return;
            }
            if (failure != null) {
                log.error("Agent subscription of {} failed", admission.info().getHostname(), failure);
                stream.close();
                return;
            }
            stream.start("application/json", AgentProtocol.STREAM_ID_HEADER, streamId, () -> {
                if (id != null) {
                    loop.agentStreamBroken(id, streamId);
                }
            });
        });
    }

    private void other(HttpServletRequest request, HttpServletResponse response, AgentCall call) throws IOException {
        String streamId = request.getHeader(AgentProtocol.STREAM_ID_HEADER);
        String agentId = request.getHeader(AgentProtocol.AGENT_ID_HEADER);
        if (streamId == null || streamId.isBlank() || agentId == null || agentId.isBlank()) {
            HttpReplies.text(response, HttpServletResponse.SC_BAD_REQUEST, "Calls after SUBSCRIBE need the '"
                    + AgentProtocol.STREAM_ID_HEADER + "' and '" + AgentProtocol.AGENT_ID_HEADER + "' headers");
            return;
        }
        String problem = problemWith(call);
        if (problem != null) {
            HttpReplies.text(response, HttpServletResponse.SC_BAD_REQUEST, problem);
            return;
        }
        HttpReplies.result(response, HttpReplies.await(loop.agentCall(call, new AgentId(agentId), streamId)));
    }

    private static String problemWith(AgentCall.Update u) {
        if (u == null || u.status() == null || u.frameworkId() == null) {
            return "UPDATE needs 'status' and 'framework_id'";
        }
        if (u.status().getTaskId().getValue().isEmpty() || u.frameworkId().getValue().isEmpty()) {
            return "UPDATE needs a task id and a framework id";
        }
        return null;
    }

    /** What makes a well-formed call unusable, or null. */
    private static String problemWith(AgentCall call) {
        return switch (call) {
            case AgentCall.Update u -> problemWith(u);
            case AgentCall.Updates batch when batch.updates() == null || batch.updates().isEmpty() ->
                    "UPDATES needs a non-empty 'updates' list";
            case AgentCall.Updates batch -> batch.updates().stream().map(AgentEndpoint::problemWith)
                    .filter(java.util.Objects::nonNull).findFirst().map(p -> "UPDATES: " + p).orElse(null);
            case AgentCall.Message m when m.frameworkId() == null || m.executorId() == null || m.data() == null ->
                    "MESSAGE needs 'framework_id', 'executor_id' and 'data'";
            case AgentCall.Message m when m.frameworkId().getValue().isEmpty() -> "MESSAGE needs a framework id";
            case AgentCall.Report r when r.used() == null -> "REPORT needs 'used'";
            case AgentCall.ExecutorExited e when e.frameworkId() == null || e.executorId() == null
                    || e.frameworkId().getValue().isEmpty() || e.executorId().getValue().isEmpty() ->
                    "EXECUTOR_EXITED needs 'framework_id' and 'executor_id'";
            default -> null;
        };
    }
}
