package io.tandem.frameworks.gang;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.sdk.ResourceNeeds;
import io.tandem.sdk.SchedulerCalls;
import io.tandem.testkit.FakeClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.Filters;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.OfferID;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.Protos.Value;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GangSchedulerTest {
    private final FakeClock clock = new FakeClock();
    private final Calls calls = new Calls();
    private final List<String> said = new ArrayList<>();
    private final GangSpec spec = new GangSpec("g", 3, ResourceNeeds.of(1, 32), "run", Map.of(),
            Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofMinutes(1), 1);
    private final GangScheduler gang = new GangScheduler(spec, clock, said::add);

    @BeforeEach
    void subscribe() {
        gang.subscribed(calls, FrameworkID.newBuilder().setValue("fw").build(), null);
    }

    @Test
    void offersThatAreNotEnoughAreHeldThenAllGivenBackWithTheRetryFilter() {
        gang.offers(calls, List.of(offer("o1", "a1", 2)));
        clock.advance(Duration.ofMillis(1999));
        gang.tick();
        assertThat(calls.declined).isEmpty();
        assertThat(gang.heldOffers()).isEqualTo(1);

        clock.advance(Duration.ofMillis(1));
        gang.tick();

        assertThat(calls.launched).isEmpty();
        assertThat(calls.declined).containsExactly("o1 for 5.0s");
        assertThat(gang.heldOffers()).isZero();
        assertThat(gang.releases()).isEqualTo(1);
        assertThat(said.getLast()).contains("2 of 3 member(s) fit").contains("gave back 1 offer(s)");
    }

    @Test
    void whenHeldOffersTogetherFitTheGangEveryMemberLaunchesAtOnceKnowingAllAddresses() {
        gang.offers(calls, List.of(offer("o1", "a1", 2)));
        gang.offers(calls, List.of(offer("o2", "a2", 1), offer("o3", "a3", 4)));

        assertThat(calls.launched).hasSize(3);
        assertThat(calls.launchedOffers).containsExactly("o1", "o2");
        assertThat(calls.declined).containsExactly("o3 for 30.0s");
        assertThat(gang.addresses()).containsExactly("a1:31000", "a1:31001", "a2:31000");
        assertThat(calls.launched).allSatisfy(t -> assertThat(t.getCommand().getEnvironment().getVariablesList())
                .anySatisfy(v -> assertThat(v.getName() + "=" + v.getValue())
                        .isEqualTo("TANDEM_GANG_MEMBERS=a1:31000,a1:31001,a2:31000")));
        assertThat(gang.phase()).isEqualTo(GangScheduler.Phase.LAUNCHED);
    }

    @Test
    void aMemberFailingBeforeAllRunKillsTheOthersAndTheGangIsLaunchedAgain() {
        gang.offers(calls, List.of(offer("o1", "a1", 3)));
        gang.update(calls, status("g.1.0", TaskState.TASK_RUNNING));

        gang.update(calls, status("g.1.1", TaskState.TASK_FAILED));

        assertThat(calls.killed).containsExactlyInAnyOrder("g.1.0", "g.1.2");
        assertThat(gang.phase()).isEqualTo(GangScheduler.Phase.HOLDING);
        gang.offers(calls, List.of(offer("o2", "a1", 3)));
        assertThat(calls.launched).extracting(t -> t.getTaskId().getValue()).contains("g.2.0", "g.2.1", "g.2.2");
    }

    @Test
    void aGangThatNeverFitsGivesUpSayingWhatItLacked() {
        gang.offers(calls, List.of(offer("o1", "a1", 1)));
        clock.advance(Duration.ofMinutes(1));

        gang.tick();

        assertThat(gang.finished()).isCompleted();
        GangOutcome outcome = gang.finished().join();
        assertThat(outcome.succeeded()).isFalse();
        assertThat(outcome.message()).contains("did not fit within 60s").contains("at best 1 of 3");
        assertThat(calls.declined).containsExactly("o1 for 5.0s");
    }

    @Test
    void aRelaunchThatNeverFitsAlsoGivesUp() {
        gang.offers(calls, List.of(offer("o1", "a1", 3)));
        clock.advance(Duration.ofMinutes(2));
        gang.update(calls, status("g.1.1", TaskState.TASK_FAILED));
        gang.offers(calls, List.of(offer("o2", "a1", 1)));
        clock.advance(Duration.ofSeconds(59));
        gang.tick();
        assertThat(gang.finished()).isNotDone();

        clock.advance(Duration.ofSeconds(1));
        gang.tick();

        assertThat(gang.finished()).isCompleted();
        assertThat(gang.finished().join().message()).contains("did not fit within 60s of relaunching it");
    }

    @Test
    void aLaunchTheMasterRefusesRelaunchesTheGangThenFailsIt() {
        calls.refuseLaunches = true;
        gang.offers(calls, List.of(offer("o1", "a1", 3)));

        assertThat(gang.phase()).isEqualTo(GangScheduler.Phase.HOLDING);
        assertThat(said).anyMatch(line -> line.contains("the master refused the launch of 3 member(s): offer o1 is gone"));

        gang.offers(calls, List.of(offer("o2", "a1", 3)));

        assertThat(gang.finished()).isCompleted();
        assertThat(gang.finished().join().succeeded()).isFalse();
        assertThat(gang.finished().join().message()).contains("refused the launch");
    }

    @Test
    void theGangSucceedsWhenEveryMemberFinished() {
        gang.offers(calls, List.of(offer("o1", "a1", 3)));
        for (int rank = 0; rank < 3; rank++) {
            gang.update(calls, status("g.1." + rank, TaskState.TASK_FINISHED));
        }

        assertThat(gang.finished().join().succeeded()).isTrue();
    }

    private static Offer offer(String id, String agent, double cpus) {
        return Offer.newBuilder().setId(OfferID.newBuilder().setValue(id))
                .setFrameworkId(FrameworkID.newBuilder().setValue("fw"))
                .setAgentId(AgentID.newBuilder().setValue(agent)).setHostname(agent)
                .addResources(scalar("cpus", cpus)).addResources(scalar("mem", 1024))
                .addResources(Resource.newBuilder().setName("ports").setType(Value.Type.RANGES)
                        .setRanges(Value.Ranges.newBuilder().addRange(Value.Range.newBuilder().setBegin(31000).setEnd(31009))))
                .build();
    }

    private static Resource scalar(String name, double value) {
        return Resource.newBuilder().setName(name).setType(Value.Type.SCALAR)
                .setScalar(Value.Scalar.newBuilder().setValue(value)).build();
    }

    private static TaskStatus status(String id, TaskState state) {
        return TaskStatus.newBuilder().setTaskId(TaskID.newBuilder().setValue(id)).setState(state).build();
    }

    /** Records the calls a scheduler makes; every call succeeds at once. */
    private static final class Calls implements SchedulerCalls {
        final List<TaskInfo> launched = new ArrayList<>();
        final List<String> launchedOffers = new ArrayList<>();
        final List<String> declined = new ArrayList<>();
        final List<String> killed = new ArrayList<>();
        boolean refuseLaunches;

        @Override
        public Optional<FrameworkID> frameworkId() {
            return Optional.empty();
        }

        @Override
        public CompletableFuture<Void> accept(Collection<OfferID> offerIds, List<Offer.Operation> operations, Filters filters) {
            offerIds.forEach(o -> launchedOffers.add(o.getValue()));
            operations.forEach(op -> launched.addAll(op.getLaunch().getTaskInfosList()));
            return refuseLaunches
                    ? CompletableFuture.failedFuture(new IllegalStateException("offer " + offerIds.iterator().next().getValue() + " is gone"))
                    : CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Void> decline(Collection<OfferID> offerIds, Filters filters) {
            offerIds.forEach(o -> declined.add(o.getValue() + " for " + filters.getRefuseSeconds() + "s"));
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Void> kill(TaskID taskId, AgentID agentId) {
            killed.add(taskId.getValue());
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Void> revive(java.util.Set<String> roles) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Void> suppress(java.util.Set<String> roles) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Void> acknowledge(TaskStatus status) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Void> reconcile(Collection<TaskStatus> tasks) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Void> message(AgentID agentId, ExecutorID executorId, byte[] data) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Void> teardown() {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Void> send(Call.Builder call) {
            return CompletableFuture.completedFuture(null);
        }
    }
}
