package io.tandem.master;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.UninitializedMessageException;
import io.tandem.api.MalformedMessageException;
import io.tandem.api.MediaType;
import io.tandem.model.FrameworkId;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import java.util.UUID;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/v1/scheduler}: the Mesos v1 scheduler HTTP API. Decodes and checks the call here
 * (on Jetty's thread), then hands it to the loop. SUBSCRIBE answers with a stream of events; every
 * other call with 202, or 400/403 and a plain-text reason.
 */
final class SchedulerApiServlet extends HttpServlet {
    static final String PATH = "/api/v1/scheduler";
    static final String STREAM_ID = "Mesos-Stream-Id";
    private static final Logger log = LoggerFactory.getLogger(SchedulerApiServlet.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final transient MasterLoop loop;

    SchedulerApiServlet(MasterLoop loop) {
        this.loop = loop;
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        MediaType contentType;
        MediaType accept;
        try {
            contentType = MediaType.fromHeader(request.getContentType());
        } catch (MalformedMessageException e) {
            HttpReplies.text(response, HttpServletResponse.SC_UNSUPPORTED_MEDIA_TYPE, e.getMessage());
            return;
        }
        try {
            accept = MediaType.fromHeader(request.getHeader("Accept"));
        } catch (MalformedMessageException e) {
            HttpReplies.text(response, HttpServletResponse.SC_NOT_ACCEPTABLE, e.getMessage());
            return;
        }
        byte[] body = request.getInputStream().readAllBytes();
        Call call;
        try {
            call = contentType.decode(body, Call.newBuilder()).build();
        } catch (MalformedMessageException | UninitializedMessageException e) {
            HttpReplies.text(response, HttpServletResponse.SC_BAD_REQUEST, "Failed to parse the call: " + e.getMessage());
            return;
        }
        Optional<String> problem = CallSyntax.check(call).map(p -> nameUnknownType(p, call, contentType, body));
        if (problem.isPresent()) {
            HttpReplies.text(response, HttpServletResponse.SC_BAD_REQUEST, problem.get());
            return;
        }
        Optional<String> streamId = Optional.ofNullable(request.getHeader(STREAM_ID));
        try {
            if (call.getType() == Call.Type.SUBSCRIBE) {
                subscribe(request, response, call, accept, streamId);
            } else {
                HttpReplies.result(response, HttpReplies.await(loop.schedulerCall(call, streamId)));
            }
        } catch (HttpReplies.LoopUnavailableException e) {
            HttpReplies.text(response, e.status(), e.getMessage());
        }
    }

    private void subscribe(HttpServletRequest request, HttpServletResponse response, Call call, MediaType accept,
                           Optional<String> streamIdHeader) throws IOException {
        if (streamIdHeader.isPresent()) {
            HttpReplies.text(response, HttpServletResponse.SC_BAD_REQUEST,
                    "Subscribe calls should not include the 'Mesos-Stream-Id' header");
            return;
        }
        String streamId = UUID.randomUUID().toString();
        AsyncContext async = request.startAsync();
        HttpEventStream<Event> stream = new HttpEventStream<>(async, accept::encode,
                "framework-" + call.getSubscribe().getFrameworkInfo().getName() + "-" + streamId);
        loop.subscribeFramework(call.getSubscribe(), stream, streamId).whenComplete((id, failure) -> {
            if (NotDurableException.in(failure) instanceof NotDurableException notStored) {
                log.warn("Subscription refused: {}", notStored.getMessage());
                stream.refuse(HttpServletResponse.SC_SERVICE_UNAVAILABLE, notStored.getMessage());
                return;
            }
            if (failure != null) {
                log.error("Subscription failed", failure);
                stream.send(Events.error("The master failed to subscribe the framework: " + failure.getMessage()));
                stream.close();
            }
            Optional<FrameworkId> subscribed = id == null ? Optional.empty() : id;
            stream.start(accept.mime(), STREAM_ID, streamId,
                    () -> subscribed.ifPresent(fid -> loop.frameworkStreamBroken(fid, streamId)));
        });
    }

    /** For JSON calls with a type Tandem does not know, the message names the type that was sent. */
    private static String nameUnknownType(String problem, Call call, MediaType contentType, byte[] body) {
        if (call.getType() != Call.Type.UNKNOWN || contentType != MediaType.JSON) {
            return problem;
        }
        try {
            JsonNode type = JSON.readTree(body).path("type");
            return type.isTextual() ? "Unknown call type '" + type.asText() + "'; " + problem : problem;
        } catch (IOException e) {
            return problem;
        }
    }
}
