package io.tandem.sdk;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * Sends one driver's calls one at a time, in the order they were submitted: a call goes out only once
 * the call before it was answered (whatever the answer), as Mesos's own libraries deliver one client's
 * calls in order. Calls sent side by side on separate connections can arrive in either order: a
 * TASK_RUNNING that reaches the agent after its TASK_FINISHED is dropped, a KILL may overtake the
 * ACCEPT that launched the task.
 *
 * <p>No thread of its own and no waiting: {@link #submit} only queues, and the answer to one call
 * sends the next on the thread that delivered the answer, so a call costs one round trip however many
 * wait behind it. Each submitted future completes with its own call's outcome, after the next call has
 * gone out, so code chained on one call's future may wait for a later call.
 *
 * <p>Thread-safe: {@link #submit} and {@link #close} may be called from any thread.
 */
final class CallQueue {
    /** A call that starts with {@code send} and reports its outcome to {@code result}. */
    private record Pending(String name, Supplier<CompletableFuture<Void>> send, CompletableFuture<Void> result) {}

    /** An outcome: {@code failure} is null on success. */
    private record Answered(Pending call, Throwable failure) {}

    private final Object lock = new Object();
    private final Deque<Pending> waiting = new ArrayDeque<>();   // guarded by lock
    private boolean sending;                                       // guarded by lock: a call is out
    private String closedBecause;                                  // guarded by lock: null while open

    /**
     * Queues a call; {@code send} starts it when its turn comes and returns a future of its answer. The
     * returned future completes as that one does, or fails with {@link IllegalStateException} when the
     * queue was closed before the call's turn.
     */
    CompletableFuture<Void> submit(String name, Supplier<CompletableFuture<Void>> send) {
        Pending call = new Pending(name, send, new CompletableFuture<>());
        synchronized (lock) {
            if (closedBecause != null) {
                return CompletableFuture.failedFuture(notSent(name, closedBecause));
            }
            if (sending) {
                waiting.add(call);
                return call.result();
            }
            sending = true;
        }
        sendFrom(call);
        return call.result();
    }

    /**
     * Fails the calls still waiting, and every later one, with {@link IllegalStateException}
     * ({@code "<CALL> not sent: <reason>"}); a call already out gets its answer as usual. Idempotent.
     */
    void close(String reason) {
        List<Pending> dropped;
        synchronized (lock) {
            if (closedBecause != null) {
                return;
            }
            closedBecause = reason;
            dropped = List.copyOf(waiting);
            waiting.clear();
        }
        dropped.forEach(call -> call.result().completeExceptionally(notSent(call.name(), reason)));
    }

    /**
     * Sends {@code first}, and the calls after it for as long as answers are there at once (a call that
     * fails before reaching the network); returns when a call is out or none is left. It loops rather
     * than recursing so that a long run of such calls cannot overflow the stack.
     */
    private void sendFrom(Pending first) {
        Answered previous = null;
        for (Pending call = first; call != null; call = next()) {
            CompletableFuture<Void> answer = start(call);
            settle(previous);   // only now that the next call is out
            if (!answer.isDone()) {
                Pending out = call;
                answer.whenComplete((ok, failure) -> answered(new Answered(out, failure)));
                return;
            }
            previous = new Answered(call, answer.handle((ok, failure) -> failure).join());
        }
        settle(previous);
    }

    private void answered(Answered answered) {
        Pending next = next();
        if (next != null) {
            sendFrom(next);
        }
        settle(answered);
    }

    /** Takes the next waiting call; with none, the queue is idle until the next {@link #submit}. */
    private Pending next() {
        synchronized (lock) {
            Pending next = waiting.poll();
            sending = next != null;
            return next;
        }
    }

    private static CompletableFuture<Void> start(Pending call) {
        try {
            CompletableFuture<Void> answer = call.send().get();
            return answer != null ? answer
                    : CompletableFuture.failedFuture(new IllegalStateException(call.name() + " produced no answer"));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static void settle(Answered answered) {
        if (answered == null) {
            return;
        }
        Throwable failure = answered.failure();
        if (failure == null) {
            answered.call().result().complete(null);
        } else {
            answered.call().result().completeExceptionally(
                    failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure);
        }
    }

    private static IllegalStateException notSent(String name, String reason) {
        return new IllegalStateException(name + " not sent: " + reason);
    }
}
