package io.tandem.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import java.util.stream.IntStream;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.OfferID;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Both drivers send their calls in the order they were made, one at a time, against {@link FakeMaster}
 * and {@link FakeAgent}. The "nothing arrives while held" checks watch for a bounded while (Awaitility's
 * {@code during}); a correct driver passes them whatever the machine's speed.
 */
class CallOrderTest {
    private static final FrameworkInfo FRAMEWORK = FrameworkInfo.newBuilder().setUser("alice").setName("order").build();
    private static final AgentID AGENT = AgentID.newBuilder().setValue("a-1").build();
    private static final Duration QUIET = Duration.ofMillis(300);

    private final List<AutoCloseable> cleanup = new ArrayList<>();
    private final List<String> callbacks = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : cleanup.reversed()) {
            c.close();
        }
    }

    private <T extends AutoCloseable> T closedAfter(T resource) {
        cleanup.add(resource);
        return resource;
    }

    private SchedulerDriver subscribed(FakeMaster master, Scheduler scheduler) {
        SchedulerDriver driver = SchedulerDriver.builder().master(master.url()).frameworkInfo(FRAMEWORK)
                .scheduler(scheduler).backoff(Duration.ofMillis(10), Duration.ofMillis(50))
                .callTimeout(Duration.ofSeconds(40)).random(RandomGenerator.of("L64X128MixRandom")).build();
        cleanup.add(() -> driver.stop(true));
        driver.start();
        await().atMost(10, TimeUnit.SECONDS).until(driver::isSubscribed);
        return driver;
    }

    private static TaskID task(String id) {
        return TaskID.newBuilder().setValue(id).build();
    }

    @Test
    void aHundredCallsMadeInATightLoopReachTheMasterInOrderOneAtATime() throws Exception {
        FakeMaster master = closedAfter(new FakeMaster());
        SchedulerDriver driver = subscribed(master, (d, offers) -> { });
        List<CompletableFuture<Void>> kills = new ArrayList<>();

        for (int i = 0; i < 100; i++) {
            kills.add(driver.kill(task("t-" + i), AGENT));
        }

        CompletableFuture.allOf(kills.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        assertThat(master.calls(Call.Type.KILL)).extracting(c -> c.getKill().getTaskId().getValue())
                .containsExactlyElementsOf(IntStream.range(0, 100).mapToObj(i -> "t-" + i).toList());
        assertThat(master.mostCallsAtOnce()).isEqualTo(1);
        assertThat(master.callConnections()).as("connections the calls used").isEqualTo(1);
    }

    @Test
    void aSlowAnswerToOneCallKeepsTheNextOneBackWithoutBlockingTheCaller() throws Exception {
        FakeMaster master = closedAfter(new FakeMaster());
        SchedulerDriver driver = subscribed(master, (d, offers) -> { });
        CountDownLatch killAnswer = master.holdAnswers(Call.Type.KILL);

        CompletableFuture<Void> kill = driver.kill(task("t-1"), AGENT);
        CompletableFuture<Void> revive = driver.revive(Set.of());

        await().atMost(10, TimeUnit.SECONDS).until(() -> master.calls(Call.Type.KILL).size() == 1);
        await().during(QUIET).atMost(QUIET.multipliedBy(10)).until(() -> master.calls(Call.Type.REVIVE).isEmpty());
        assertThat(revive).isNotDone();
        killAnswer.countDown();
        revive.get(10, TimeUnit.SECONDS);
        assertThat(kill).isCompleted();
        assertThat(master.calls()).extracting(c -> c.call().getType()).containsExactly(Call.Type.KILL, Call.Type.REVIVE);
    }

    @Test
    void aCallWhoseSubscriptionEndedWhileItWaitedIsNotSentWithTheStaleStreamId() throws Exception {
        FakeMaster master = closedAfter(new FakeMaster());
        SchedulerDriver driver = subscribed(master, (d, offers) -> { });
        CountDownLatch killAnswer = master.holdAnswers(Call.Type.KILL);
        driver.kill(task("t-1"), AGENT);
        CompletableFuture<Void> revive = driver.revive(Set.of());
        await().atMost(10, TimeUnit.SECONDS).until(() -> master.calls(Call.Type.KILL).size() == 1);

        master.dropStream();
        await().atMost(10, TimeUnit.SECONDS).until(() -> master.subscriptions().size() == 2 && driver.isSubscribed());
        killAnswer.countDown();

        assertThatThrownBy(() -> revive.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(IllegalStateException.class)
                .hasMessage("REVIVE not sent: the subscription it was made on ended");
        assertThat(master.calls(Call.Type.REVIVE)).isEmpty();
    }

    @Test
    void eachCallsFutureCompletesWithThatCallsOwnAnswer() throws Exception {
        FakeMaster master = closedAfter(new FakeMaster());
        master.refuse(Call.Type.DECLINE, 400, "Offer o-9 is no longer valid");
        SchedulerDriver driver = subscribed(master, (d, offers) -> { });

        CompletableFuture<Void> revive = driver.revive(Set.of());
        CompletableFuture<Void> decline = driver.decline(List.of(OfferID.newBuilder().setValue("o-9").build()), null);
        CompletableFuture<Void> suppress = driver.suppress(Set.of());

        suppress.get(10, TimeUnit.SECONDS);
        assertThat(revive).isCompleted();
        assertThatThrownBy(() -> decline.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(CallRejectedException.class).hasMessageContaining("o-9 is no longer valid");
        assertThat(master.calls()).extracting(c -> c.call().getType())
                .containsExactly(Call.Type.REVIVE, Call.Type.DECLINE, Call.Type.SUPPRESS);
    }

    @Test
    void aCallbackThatMakesCallsReturnsBeforeTheyAreAnsweredAndTheyGoOutInCallbackOrder() throws Exception {
        FakeMaster master = closedAfter(new FakeMaster());
        SchedulerDriver driver = subscribed(master, (d, offers) -> {
            offers.forEach(offer -> d.launch(offer.getId(), List.of()));
            callbacks.add("offers " + offers.getFirst().getId().getValue());
        });
        CountDownLatch acceptAnswers = master.holdAnswers(Call.Type.ACCEPT);

        master.send(offers("o-1"));
        master.send(offers("o-2"));

        await().atMost(10, TimeUnit.SECONDS).until(() -> callbacks.size() == 2);
        assertThat(master.calls(Call.Type.ACCEPT)).hasSizeLessThanOrEqualTo(1);
        acceptAnswers.countDown();
        await().atMost(10, TimeUnit.SECONDS).until(() -> master.calls(Call.Type.ACCEPT).size() == 2);
        assertThat(master.calls(Call.Type.ACCEPT)).extracting(c -> c.getAccept().getOfferIds(0).getValue())
                .containsExactly("o-1", "o-2");
        assertThat(driver.isSubscribed()).isTrue();
    }

    @Test
    void updatesAnExecutorSendsBackToBackReachTheAgentInOrderOneAtATime() throws Exception {
        FakeAgent agent = closedAfter(new FakeAgent());
        ExecutorDriver driver = executorDriver(agent, new BurstingExecutor());

        for (int i = 0; i < 20; i++) {
            agent.send(launch("t-" + i));
        }

        await().atMost(30, TimeUnit.SECONDS).until(() -> agent.calls(
                org.apache.mesos.v1.executor.Protos.Call.Type.UPDATE).size() == 40);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            expected.addAll(List.of("t-" + i + " TASK_RUNNING", "t-" + i + " TASK_FINISHED"));
        }
        assertThat(agent.calls(org.apache.mesos.v1.executor.Protos.Call.Type.UPDATE))
                .extracting(c -> c.getUpdate().getStatus().getTaskId().getValue() + " " + c.getUpdate().getStatus().getState())
                .containsExactlyElementsOf(expected);
        assertThat(agent.mostCallsAtOnce()).isEqualTo(1);
        assertThat(driver.isSubscribed()).isTrue();
    }

    @Test
    void aMessageWaitsForTheAnswerToTheUpdateBeforeIt() throws Exception {
        FakeAgent agent = closedAfter(new FakeAgent());
        ExecutorDriver driver = executorDriver(agent, new BurstingExecutor());
        CountDownLatch updateAnswers = agent.holdAnswers(org.apache.mesos.v1.executor.Protos.Call.Type.UPDATE);

        CompletableFuture<Void> update = driver.update(TaskStatus.newBuilder().setTaskId(task("t-1"))
                .setState(TaskState.TASK_RUNNING).build());
        CompletableFuture<Void> message = driver.message("after".getBytes(StandardCharsets.UTF_8));

        await().atMost(10, TimeUnit.SECONDS).until(() -> agent.calls(
                org.apache.mesos.v1.executor.Protos.Call.Type.UPDATE).size() == 1);
        await().during(QUIET).atMost(QUIET.multipliedBy(10)).until(() -> agent.calls(
                org.apache.mesos.v1.executor.Protos.Call.Type.MESSAGE).isEmpty());
        assertThat(message).isNotDone();
        updateAnswers.countDown();
        message.get(10, TimeUnit.SECONDS);
        assertThat(update).isCompleted();
    }

    private ExecutorDriver executorDriver(FakeAgent agent, Executor executor) {
        ExecutorEnvironment env = ExecutorEnvironment.from(Map.of("MESOS_FRAMEWORK_ID", "fw-1",
                "MESOS_EXECUTOR_ID", "ex-1", "MESOS_AGENT_ENDPOINT", agent.endpoint()));
        ExecutorDriver driver = ExecutorDriver.builder(env, executor).build();
        cleanup.add(driver);
        driver.start();
        await().atMost(10, TimeUnit.SECONDS).until(driver::isSubscribed);
        return driver;
    }

    private static org.apache.mesos.v1.executor.Protos.Event launch(String id) {
        return org.apache.mesos.v1.executor.Protos.Event.newBuilder()
                .setType(org.apache.mesos.v1.executor.Protos.Event.Type.LAUNCH)
                .setLaunch(org.apache.mesos.v1.executor.Protos.Event.Launch.newBuilder().setTask(TaskInfo.newBuilder()
                        .setName(id).setTaskId(task(id)).setAgentId(AGENT)))
                .build();
    }

    private static Event offers(String id) {
        return Event.newBuilder().setType(Event.Type.OFFERS).setOffers(Event.Offers.newBuilder()
                .addOffers(Offer.newBuilder().setId(OfferID.newBuilder().setValue(id))
                        .setFrameworkId(FrameworkID.newBuilder().setValue("fw-1")).setAgentId(AGENT)
                        .setHostname("host-1")))
                .build();
    }

    /** What a naive executor does: TASK_RUNNING and TASK_FINISHED back to back, without waiting for answers. */
    private static final class BurstingExecutor implements Executor {
        @Override
        public void launch(ExecutorCalls driver, TaskInfo task) {
            driver.update(TaskStatus.newBuilder().setTaskId(task.getTaskId()).setState(TaskState.TASK_RUNNING).build());
            driver.update(TaskStatus.newBuilder().setTaskId(task.getTaskId()).setState(TaskState.TASK_FINISHED).build());
        }

        @Override
        public void kill(ExecutorCalls driver, TaskID taskId) {
        }
    }
}
