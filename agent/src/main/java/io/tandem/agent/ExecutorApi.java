package io.tandem.agent;

import io.tandem.agent.loop.EventLoop;
import io.tandem.api.MalformedMessageException;
import io.tandem.api.MediaType;
import io.tandem.api.RecordIo;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.ExecutionException;
import org.apache.mesos.v1.executor.Protos.Call;
import org.apache.mesos.v1.executor.Protos.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/v1/executor}: the Mesos v1 executor HTTP API. SUBSCRIBE is answered with a
 * RecordIO stream of events (in the Accept type); UPDATE and MESSAGE with 202. Malformed calls
 * get 400 with a message naming the problem.
 *
 * <p>Runs on Jetty's (virtual) request threads; every decision is made on the agent loop.
 */
final class ExecutorApi extends HttpServlet {
    static final String PATH = "/api/v1/executor";
    private static final Logger log = LoggerFactory.getLogger(ExecutorApi.class);

    private final transient EventLoop loop;
    private final transient ExecutorSessions executors;

    ExecutorApi(EventLoop loop, ExecutorSessions executors) {
        this.loop = loop;
        this.executors = executors;
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        MediaType accept;
        Call call;
        try {
            accept = MediaType.fromHeader(request.getHeader("Accept"));
        } catch (MalformedMessageException e) {
            HttpReplies.text(response, HttpServletResponse.SC_NOT_ACCEPTABLE, e.getMessage());
            return;
        }
        try {
            MediaType contentType = MediaType.fromHeader(request.getContentType());
            call = contentType.decode(request.getInputStream().readAllBytes(), Call.newBuilder()).buildPartial();
        } catch (MalformedMessageException e) {
            HttpReplies.text(response, HttpServletResponse.SC_BAD_REQUEST, "Failed to parse body: " + e.getMessage());
            return;
        }
        String invalid = ExecutorProtocol.invalidCall(call);
        if (invalid != null) {
            HttpReplies.text(response, HttpServletResponse.SC_BAD_REQUEST, invalid);
            return;
        }
        switch (call.getType()) {
            case SUBSCRIBE -> subscribe(call, accept, response);
            case UPDATE -> answer(response, onLoop(() -> executors.update(call)));
            case MESSAGE -> answer(response, onLoop(() -> executors.message(call)));
            default -> HttpReplies.text(response, HttpServletResponse.SC_BAD_REQUEST,
                    "Unsupported call type " + call.getType());
        }
    }

    private void subscribe(Call call, MediaType accept, HttpServletResponse response) throws IOException {
        ExecutorStream stream = new ExecutorStream();
        String refused = onLoop(() -> executors.subscribe(call, stream));
        if (refused != null) {
            HttpReplies.text(response, HttpServletResponse.SC_BAD_REQUEST, refused);
            return;
        }
        try {
            response.setStatus(HttpServletResponse.SC_OK);
            response.setContentType(accept.mime());
            response.flushBuffer();
            OutputStream out = response.getOutputStream();
            Event event;
            while ((event = stream.next()) != null) {
                out.write(RecordIo.frame(accept.encode(event)));
                out.flush();
            }
        } catch (IOException e) {
            log.debug("executor {} stream broke: {}", call.getExecutorId().getValue(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            stream.close();
            loop.execute(() -> executors.streamEnded(call, stream));
        }
    }

    private static void answer(HttpServletResponse response, String refused) throws IOException {
        if (refused == null) {
            response.setStatus(HttpServletResponse.SC_ACCEPTED);
        } else {
            HttpReplies.text(response, HttpServletResponse.SC_BAD_REQUEST, refused);
        }
    }

    private String onLoop(java.util.concurrent.Callable<String> decision) throws IOException {
        try {
            return loop.call(decision).get();
        } catch (ExecutionException e) {
            throw new IOException("agent loop failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
