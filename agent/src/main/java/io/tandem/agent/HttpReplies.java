package io.tandem.agent;

import io.tandem.api.MediaType;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Writing the agent's plain HTTP answers. */
final class HttpReplies {
    private HttpReplies() {}

    static void text(HttpServletResponse response, int status, String message) throws IOException {
        response.setStatus(status);
        response.setContentType("text/plain; charset=utf-8");
        response.getOutputStream().write(message.getBytes(StandardCharsets.UTF_8));
    }

    static void message(HttpServletResponse response, MediaType type, com.google.protobuf.Message message)
            throws IOException {
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType(type.mime());
        response.getOutputStream().write(type.encode(message));
    }
}
