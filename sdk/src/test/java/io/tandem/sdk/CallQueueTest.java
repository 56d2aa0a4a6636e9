package io.tandem.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The queue on its own, with answers the test completes by hand: no network, no threads, no waiting. */
class CallQueueTest {
    private final CallQueue queue = new CallQueue();
    /** Calls in the order they went out, each with the answer the test completes. */
    private final Map<String, CompletableFuture<Void>> sent = new LinkedHashMap<>();

    private Supplier<CompletableFuture<Void>> wire(String name) {
        return () -> {
            CompletableFuture<Void> answer = new CompletableFuture<>();
            sent.put(name, answer);
            return answer;
        };
    }

    private CompletableFuture<Void> submit(String name) {
        return queue.submit(name, wire(name));
    }

    @Test
    void sendsEachCallOnlyOnceThePreviousOneWasAnswered() {
        submit("ACCEPT");
        submit("KILL");
        submit("REVIVE");

        assertThat(sent).containsOnlyKeys("ACCEPT");
        sent.get("ACCEPT").complete(null);
        assertThat(sent).containsOnlyKeys("ACCEPT", "KILL");
        sent.get("KILL").complete(null);
        assertThat(sent.keySet()).containsExactly("ACCEPT", "KILL", "REVIVE");
    }

    @Test
    void eachFutureCompletesWithItsOwnCallsAnswerAndAFailureDoesNotStopTheNext() {
        CompletableFuture<Void> accept = submit("ACCEPT");
        CompletableFuture<Void> decline = submit("DECLINE");
        CompletableFuture<Void> kill = submit("KILL");
        CallRejectedException rejected = new CallRejectedException("DECLINE", 400, "Offer o-9 is no longer valid");
        IOException broken = new IOException("connection reset");

        sent.get("ACCEPT").complete(null);
        sent.get("DECLINE").completeExceptionally(rejected);
        sent.get("KILL").completeExceptionally(new CompletionException(broken));

        assertThat(accept).isCompleted();
        assertThat(decline).isCompletedExceptionally();
        assertThat(decline.exceptionNow()).isSameAs(rejected);
        assertThat(kill.exceptionNow()).isSameAs(broken);
    }

    @Test
    void aCallThatFailsBeforeReachingTheNetworkFailsAloneAndTheNextGoesOut() {
        submit("ACCEPT");
        CompletableFuture<Void> broken = queue.submit("KILL", () -> {
            throw new IllegalArgumentException("cannot encode");
        });
        CompletableFuture<Void> revive = submit("REVIVE");

        sent.get("ACCEPT").complete(null);

        assertThat(broken.exceptionNow()).isInstanceOf(IllegalArgumentException.class).hasMessage("cannot encode");
        assertThat(sent.keySet()).containsExactly("ACCEPT", "REVIVE");
        sent.get("REVIVE").complete(null);
        assertThat(revive).isCompleted();
    }

    @Test
    void theNextCallIsOutBeforeCodeChainedOnThePreviousAnswerRuns() {
        List<String> sentWhenAcceptCompleted = new ArrayList<>();
        submit("ACCEPT").thenRun(() -> sentWhenAcceptCompleted.addAll(sent.keySet()));
        submit("KILL");

        sent.get("ACCEPT").complete(null);

        assertThat(sentWhenAcceptCompleted).containsExactly("ACCEPT", "KILL");
    }

    @Test
    void anIdleQueueSendsANewCallAtOnce() {
        submit("ACCEPT");
        sent.get("ACCEPT").complete(null);

        submit("KILL");

        assertThat(sent.keySet()).containsExactly("ACCEPT", "KILL");
    }

    @Test
    void closingFailsTheWaitingCallsAndLaterOnesButLetsTheCallThatIsOutFinish() {
        CompletableFuture<Void> accept = submit("ACCEPT");
        CompletableFuture<Void> kill = submit("KILL");

        queue.close("the driver is stopped");
        CompletableFuture<Void> revive = submit("REVIVE");
        sent.get("ACCEPT").complete(null);

        assertThat(accept).isCompleted();
        assertThat(kill.exceptionNow()).isInstanceOf(IllegalStateException.class)
                .hasMessage("KILL not sent: the driver is stopped");
        assertThat(revive.exceptionNow()).hasMessage("REVIVE not sent: the driver is stopped");
        assertThat(sent).containsOnlyKeys("ACCEPT");
    }

    @Test
    void aLongRunOfCallsAnsweredAtOnceDoesNotDeepenTheStack() {
        submit("FIRST");
        List<CompletableFuture<Void>> quick = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            quick.add(queue.submit("MESSAGE", () -> CompletableFuture.completedFuture(null)));
        }
        CompletableFuture<Void> last = submit("LAST");

        sent.get("FIRST").complete(null);

        assertThat(quick).allMatch(CompletableFuture::isDone).noneMatch(CompletableFuture::isCompletedExceptionally);
        assertThat(sent.keySet()).containsExactly("FIRST", "LAST");
        assertThat(last).isNotDone();
    }
}
