package io.tandem.master;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Writes the master's non-streaming HTTP answers: a status with a plain-text reason. Stateless. */
final class HttpReplies {
    /** How long an HTTP thread waits for the loop's answer before answering 503. */
    static final long LOOP_ANSWER_SECONDS = 30;

    private HttpReplies() {}

    static void text(HttpServletResponse response, int status, String message) throws IOException {
        response.setStatus(status);
        response.setContentType("text/plain; charset=utf-8");
        response.getOutputStream().write(message.getBytes(StandardCharsets.UTF_8));
    }

    static void result(HttpServletResponse response, CallResult result) throws IOException {
        if (result.isAccepted()) {
            response.setStatus(CallResult.ACCEPTED);
        } else {
            text(response, result.status(), result.message());
        }
    }

    /**
     * Waits for the loop's answer on an HTTP thread.
     *
     * @throws LoopUnavailableException if the loop failed or did not answer in time (a 500 or 503)
     */
    static <T> T await(CompletableFuture<T> answer) {
        try {
            return answer.get(LOOP_ANSWER_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LoopUnavailableException(503, "interrupted while waiting for the master", e);
        } catch (TimeoutException e) {
            throw new LoopUnavailableException(503, "the master did not answer within " + LOOP_ANSWER_SECONDS + "s", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof NotDurableException notStored) {
                throw new LoopUnavailableException(503, notStored.getMessage(), notStored);
            }
            throw new LoopUnavailableException(500, "the master failed: " + e.getCause(), e.getCause());
        }
    }

    /** The loop could not answer; {@link #status()} is the HTTP status to reply with. */
    static final class LoopUnavailableException extends RuntimeException {
        private final int status;

        LoopUnavailableException(int status, String message, Throwable cause) {
            super(message, cause);
            this.status = status;
        }

        int status() {
            return status;
        }
    }
}
