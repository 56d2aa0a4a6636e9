package io.tandem.frameworks.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.sdk.SchedulerCalls;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.Filters;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.OfferID;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.Protos.Value;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The service loop against a recording store and recording calls: what it sends, in which order. */
class ServiceLoopTest {
    /** Everything the loop did, in order: "write <document>", "launch <task ids>", "decline", "kill <id>". */
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final StateStore store = new StateStore() {
        @Override public Optional<byte[]> read() { return Optional.empty(); }
        @Override public void write(byte[] document) { events.add("write " + new String(document, StandardCharsets.UTF_8)); }
        @Override public String describe() { return "memory"; }
    };
    private final List<org.apache.mesos.v1.Protos.TaskInfo> launched = new CopyOnWriteArrayList<>();
    private final SchedulerCalls calls = new RecordingCalls();
    private final ServiceLoop loop = new ServiceLoop(InstantSource.system(), store, "services", new SplittableRandom(7));

    @AfterEach
    void close() {
        loop.close();
    }

    private static AppSpec app(double cpus) {
        return AppSpecReader.read("name: web\ninstances: 1\ncommand: sleep 600\nresources: {cpus: " + cpus
                + ", mem: 32, ports: 1}\n", "web.yaml");
    }

    private static Offer offer(double cpus) {
        return offer("o1", "a1", cpus);
    }

    private static Offer offer(String id, String agent, double cpus) {
        return Offer.newBuilder().setId(OfferID.newBuilder().setValue(id))
                .setFrameworkId(FrameworkID.newBuilder().setValue("f1"))
                .setAgentId(AgentID.newBuilder().setValue(agent)).setHostname("host-a")
                .addResources(scalar("cpus", cpus)).addResources(scalar("mem", 1024))
                .addResources(Resource.newBuilder().setName("ports").setType(Value.Type.RANGES)
                        .setRanges(Value.Ranges.newBuilder().addRange(Value.Range.newBuilder().setBegin(31000).setEnd(31009))))
                .build();
    }

    private static Resource scalar(String name, double value) {
        return Resource.newBuilder().setName(name).setType(Value.Type.SCALAR)
                .setScalar(Value.Scalar.newBuilder().setValue(value)).build();
    }

    private void subscribe() {
        loop.run(() -> loop.subscribed(calls, FrameworkID.newBuilder().setValue("f1").build()));
    }

    @Test
    void aLaunchIsSavedBeforeItIsSent() {
        subscribe();
        loop.call(() -> loop.deploy(app(0.5)));

        loop.run(() -> loop.offers(calls, List.of(offer(2))));

        String launch = events.stream().filter(e -> e.startsWith("launch ")).findFirst().orElseThrow();
        String taskId = launch.substring("launch ".length());
        assertThat(taskId).startsWith("web.v1.");
        int saved = indexOf(e -> e.startsWith("write ") && e.contains(taskId));
        assertThat(saved).isNotNegative().isLessThan(events.indexOf(launch));
        assertThat(loop.call(() -> loop.status("web")).orElseThrow().instances())
                .singleElement().satisfies(i -> assertThat(i.ports()).containsExactly(31000L));
    }

    @Test
    void anOfferTooSmallIsDeclinedAndTheReasonShown() {
        subscribe();
        loop.call(() -> loop.deploy(app(4)));

        loop.run(() -> loop.offers(calls, List.of(offer(1))));

        assertThat(events).contains("decline o1").noneMatch(e -> e.startsWith("launch "));
        AppStatus status = loop.call(() -> loop.status("web")).orElseThrow();
        assertThat(status.state()).isEqualTo("waiting");
        assertThat(status.message()).contains("host-a [a1]: offer o1 on host-a lacks cpus (needs 4, has 1)");
    }

    @Test
    void aRunningTaskNoAppOwnsIsKilledOnce() {
        subscribe();
        TaskStatus stray = TaskStatus.newBuilder().setTaskId(TaskID.newBuilder().setValue("old.v3.deadbeef"))
                .setAgentId(AgentID.newBuilder().setValue("a1")).setState(TaskState.TASK_RUNNING).build();

        loop.run(() -> loop.update(calls, stray));
        loop.run(() -> loop.update(calls, stray));

        assertThat(events).containsOnlyOnce("kill old.v3.deadbeef");
    }

    private int indexOf(java.util.function.Predicate<String> test) {
        for (int i = 0; i < events.size(); i++) {
            if (test.test(events.get(i))) {
                return i;
            }
        }
        return -1;
    }

    /** Records each call as an event; every call succeeds. */
    private final class RecordingCalls implements SchedulerCalls {
        private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

        @Override public Optional<FrameworkID> frameworkId() { return Optional.of(FrameworkID.newBuilder().setValue("f1").build()); }

        @Override
        public CompletableFuture<Void> accept(Collection<OfferID> offerIds, List<Offer.Operation> operations, Filters filters) {
            operations.forEach(op -> op.getLaunch().getTaskInfosList()
                    .forEach(t -> {
                        events.add("launch " + t.getTaskId().getValue());
                        launched.add(t);
                    }));
            return DONE;
        }

        @Override
        public CompletableFuture<Void> decline(Collection<OfferID> offerIds, Filters filters) {
            offerIds.forEach(id -> events.add("decline " + id.getValue()));
            return DONE;
        }

        @Override
        public CompletableFuture<Void> kill(TaskID taskId, AgentID agentId) {
            events.add("kill " + taskId.getValue());
            return DONE;
        }

        @Override public CompletableFuture<Void> revive(Set<String> roles) { return DONE; }
        @Override public CompletableFuture<Void> suppress(Set<String> roles) { return DONE; }
        @Override public CompletableFuture<Void> acknowledge(TaskStatus status) { return DONE; }
        @Override public CompletableFuture<Void> reconcile(Collection<TaskStatus> tasks) { return DONE; }
        @Override public CompletableFuture<Void> message(AgentID agentId, org.apache.mesos.v1.Protos.ExecutorID executorId, byte[] data) { return DONE; }
        @Override public CompletableFuture<Void> teardown() { return DONE; }
        @Override public CompletableFuture<Void> send(Call.Builder call) { return DONE; }
    }

    @Test
    void misfitsOnAgentsSharingAHostnameAreReportedPerAgent() {
        subscribe();
        loop.call(() -> loop.deploy(app(4)));

        loop.run(() -> loop.offers(calls, List.of(offer("o1", "a1", 1), offer("o2", "a2", 2))));

        String message = loop.call(() -> loop.status("web")).orElseThrow().message();
        assertThat(message).startsWith("waiting: ").contains("host-a [a1]: ").contains("host-a [a2]: ");
    }

    @Test
    void aCommandCheckGoesIntoTheTaskInfoAndItsVerdictsComeFromStatusUpdates() {
        subscribe();
        loop.call(() -> loop.deploy(AppSpecReader.read("""
                name: web
                command: ./serve
                resources: {cpus: 0.5, mem: 32}
                health_check: {type: command, command: test -f ready, grace_period: 0s, interval: 3s,
                               timeout: 2s, max_consecutive_failures: 2}
                """, "web.yaml")));
        loop.run(() -> loop.offers(calls, List.of(offer(2))));
        org.apache.mesos.v1.Protos.TaskInfo task = launched.getFirst();
        assertThat(task.getHealthCheck().getType()).isEqualTo(org.apache.mesos.v1.Protos.HealthCheck.Type.COMMAND);
        assertThat(task.getHealthCheck().getCommand().getValue()).isEqualTo("test -f ready");
        assertThat(task.getHealthCheck().getIntervalSeconds()).isEqualTo(3.0);
        assertThat(task.getHealthCheck().getConsecutiveFailures()).isEqualTo(2);

        loop.run(() -> loop.update(calls, running(task, true)));
        assertThat(loop.call(() -> loop.status("web")).orElseThrow().healthy()).isEqualTo(1);

        loop.run(() -> loop.update(calls, running(task, false)));
        loop.run(() -> loop.update(calls, running(task, false)));
        assertThat(events).contains("kill " + task.getTaskId().getValue());
    }

    private static TaskStatus running(org.apache.mesos.v1.Protos.TaskInfo task, boolean healthy) {
        return TaskStatus.newBuilder().setTaskId(task.getTaskId()).setAgentId(task.getAgentId())
                .setState(TaskState.TASK_RUNNING).setHealthy(healthy).build();
    }
}
