package io.tandem.master;

import static io.tandem.master.Protobufs.task;
import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.api.agent.AgentEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Framework failover, teardown, and who may make calls on which stream. */
class MasterLoopFailoverTest {
    @TempDir
    Path dir;
    LoopDriver master;
    LoopDriver.AgentStream agent;

    @BeforeEach
    void start() {
        master = new LoopDriver(LoopDriver.config(dir).withAgentTimeouts(Duration.ofSeconds(1), Duration.ofHours(1)));
        agent = master.agent("h1", "cpus:4;mem:1024");
    }

    @AfterEach
    void stop() {
        master.close();
    }

    private LoopDriver.Scheduler runningTask(Protos.FrameworkInfo info) {
        LoopDriver.Scheduler fw = master.subscribe(info);
        master.call(fw, Protobufs.launch(fw.id(), fw.lastOffer().getId(), task("t1", agent.id(), "cpus:1")));
        master.update(agent, fw.id(), Protobufs.status("t1", agent.id(), TaskState.TASK_RUNNING));
        return fw;
    }

    private LoopDriver.Scheduler resubscribe(LoopDriver.Scheduler fw, Protos.FrameworkInfo info) {
        return master.subscribe(info.toBuilder().setId(fw.id()).build());
    }

    @Test
    void aFrameworkThatFailsOverInTimeGetsItsTasksAndUpdatesBack() {
        Protos.FrameworkInfo info = Protobufs.withFailover(Protobufs.framework("fw"), 60);
        LoopDriver.Scheduler fw = runningTask(info);

        master.breakStream(fw);
        master.advance(Duration.ofSeconds(59));
        assertThat(master.snapshot().frameworks()).singleElement()
                .satisfies(f -> assertThat(f.connected()).isFalse());
        LoopDriver.Scheduler again = resubscribe(fw, info);

        assertThat(again.id()).isEqualTo(fw.id());
        assertThat(again.sink().events().getFirst().getType()).isEqualTo(Event.Type.SUBSCRIBED);
        assertThat(master.snapshot().tasks()).singleElement()
                .satisfies(t -> assertThat(t.state()).isEqualTo(io.tandem.model.TaskState.TASK_RUNNING));
        Protos.TaskStatus resent = Protobufs.status("t1", agent.id(), TaskState.TASK_RUNNING);
        master.update(agent, fw.id(), resent);
        assertThat(again.lastUpdate()).isEqualTo(resent);
        master.advance(Duration.ofSeconds(5));
        assertThat(master.snapshot().frameworks()).singleElement().satisfies(f -> assertThat(f.connected()).isTrue());
    }

    @Test
    void aFrameworkThatDoesNotFailOverInTimeIsTornDown() {
        Protos.FrameworkInfo info = Protobufs.withFailover(Protobufs.framework("fw"), 60);
        LoopDriver.Scheduler fw = runningTask(info);

        master.breakStream(fw);
        master.advance(Duration.ofSeconds(61));

        assertThat(agent.eventsOf(AgentEvent.ShutdownFramework.class)).singleElement()
                .satisfies(s -> assertThat(s.frameworkId()).isEqualTo(fw.id()));
        ClusterSnapshot snapshot = master.snapshot();
        assertThat(snapshot.frameworks()).isEmpty();
        assertThat(snapshot.completedFrameworks()).hasSize(1);
        assertThat(snapshot.completedTasks()).singleElement()
                .satisfies(t -> assertThat(t.state()).isEqualTo(io.tandem.model.TaskState.TASK_KILLED));
        LoopDriver.Scheduler late = resubscribe(fw, info);
        assertThat(late.sink().events()).singleElement().satisfies(e -> {
            assertThat(e.getType()).isEqualTo(Event.Type.ERROR);
            assertThat(e.getError().getMessage()).isEqualTo("Framework has been removed");
        });
        assertThat(late.sink().isClosed()).isTrue();
    }

    @Test
    void withoutAFailoverTimeoutAFrameworkIsTornDownWhenItsStreamBreaks() {
        LoopDriver.Scheduler fw = runningTask(Protobufs.framework("fw"));

        master.breakStream(fw);

        assertThat(master.snapshot().frameworks()).isEmpty();
        assertThat(agent.eventsOf(AgentEvent.ShutdownFramework.class)).hasSize(1);
    }

    @Test
    void aBrokenStreamThatWasAlreadyReplacedChangesNothing() {
        Protos.FrameworkInfo info = Protobufs.framework("fw");
        LoopDriver.Scheduler fw = runningTask(info);
        LoopDriver.Scheduler replacement = resubscribe(fw, info);

        master.breakStream(fw);

        assertThat(master.snapshot().frameworks()).singleElement().satisfies(f -> assertThat(f.connected()).isTrue());
        assertThat(fw.sink().isClosed()).isTrue();
        assertThat(fw.eventsOf(Event.Type.ERROR)).singleElement()
                .satisfies(e -> assertThat(e.getError().getMessage()).contains("failed over"));
        assertThat(master.call(replacement, Protobufs.simple(fw.id(), Call.Type.REVIVE)).isAccepted()).isTrue();
    }

    @Test
    void callsOnAStaleStreamAreForbiddenAndWithoutOneBad() {
        Protos.FrameworkInfo info = Protobufs.framework("fw");
        LoopDriver.Scheduler fw = master.subscribe(info);
        resubscribe(fw, info);

        CallResult stale = master.call(fw, Protobufs.simple(fw.id(), Call.Type.REVIVE));
        CallResult missing = master.loop.schedulerCall(Protobufs.simple(fw.id(), Call.Type.REVIVE), Optional.empty())
                .join();

        assertThat(stale.status()).isEqualTo(403);
        assertThat(stale.message()).contains("didn't match the stream ID").contains(fw.id().getValue());
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.message()).contains("Mesos-Stream-Id");
    }

    @Test
    void callsForAnUnknownFrameworkAreBadRequests() {
        LoopDriver.Scheduler fw = master.subscribe(Protobufs.framework("fw"));

        CallResult result = master.call(fw, Protobufs.simple(Protobufs.frameworkId("ghost"), Call.Type.REVIVE));

        assertThat(result.status()).isEqualTo(400);
        assertThat(result.message()).isEqualTo("Framework ghost cannot be found");
    }

    @Test
    void teardownKillsTheTasksAndFreesTheResourcesForOthers() {
        LoopDriver.Scheduler fw = runningTask(Protobufs.framework("fw"));
        LoopDriver.Scheduler other = master.subscribe(Protobufs.framework("other"));
        int before = other.offers().size();

        master.call(fw, Protobufs.simple(fw.id(), Call.Type.TEARDOWN));

        assertThat(fw.sink().isClosed()).isTrue();
        assertThat(agent.eventsOf(AgentEvent.ShutdownFramework.class)).hasSize(1);
        assertThat(other.offers()).hasSizeGreaterThan(before);
        assertThat(io.tandem.api.ResourceMapping.fromMesos(other.lastOffer().getResourcesList()).scalar("cpus"))
                .isEqualTo(1.0);
    }

    @Test
    void killOfAKnownTaskGoesToItsAgentWithTheKillPolicy() {
        LoopDriver.Scheduler fw = runningTask(Protobufs.framework("fw"));
        Protos.KillPolicy policy = Protos.KillPolicy.newBuilder()
                .setGracePeriod(Protos.DurationInfo.newBuilder().setNanoseconds(2_000_000_000L)).build();

        master.call(fw, Protobufs.kill(fw.id(), "t1").toBuilder()
                .setKill(Protobufs.kill(fw.id(), "t1").getKill().toBuilder().setKillPolicy(policy)).build());

        assertThat(agent.eventsOf(AgentEvent.Kill.class)).singleElement().satisfies(k -> {
            assertThat(k.taskId().getValue()).isEqualTo("t1");
            assertThat(k.killPolicy()).isEqualTo(policy);
        });
    }

    @Test
    void killOfAnUnknownTaskIsAnsweredAsReconciliation() {
        LoopDriver.Scheduler plain = master.subscribe(Protobufs.framework("plain"));
        LoopDriver.Scheduler aware = master.subscribe(Protobufs.partitionAware(Protobufs.framework("aware")));

        master.call(plain, Protobufs.kill(plain.id(), "ghost"));
        master.call(aware, Protobufs.kill(aware.id(), "ghost"));

        assertThat(plain.lastUpdate().getState()).isEqualTo(TaskState.TASK_LOST);
        assertThat(aware.lastUpdate().getState()).isEqualTo(TaskState.TASK_UNKNOWN);
        assertThat(aware.lastUpdate().getReason()).isEqualTo(Protos.TaskStatus.Reason.REASON_RECONCILIATION);
        assertThat(agent.eventsOf(AgentEvent.Kill.class)).isEmpty();
    }

    @Test
    void explicitReconciliationAnswersKnownAndUnknownTasks() {
        LoopDriver.Scheduler fw = runningTask(Protobufs.framework("fw"));

        master.call(fw, Protobufs.reconcile(fw.id(), "t1", "ghost"));

        assertThat(fw.updates().subList(fw.updates().size() - 2, fw.updates().size())).satisfiesExactly(
                known -> {
                    assertThat(known.getTaskId().getValue()).isEqualTo("t1");
                    assertThat(known.getState()).isEqualTo(TaskState.TASK_RUNNING);
                    assertThat(known.getReason()).isEqualTo(Protos.TaskStatus.Reason.REASON_RECONCILIATION);
                    assertThat(known.hasUuid()).isFalse();
                },
                unknown -> {
                    assertThat(unknown.getTaskId().getValue()).isEqualTo("ghost");
                    assertThat(unknown.getState()).isEqualTo(TaskState.TASK_LOST);
                });
    }

    @Test
    void implicitReconciliationAnswersEveryTaskOfTheFramework() {
        LoopDriver.Scheduler fw = runningTask(Protobufs.framework("fw"));
        int before = fw.updates().size();

        master.call(fw, Protobufs.simple(fw.id(), Call.Type.RECONCILE));

        assertThat(fw.updates()).hasSize(before + 1);
        assertThat(fw.lastUpdate().getTaskId().getValue()).isEqualTo("t1");
        assertThat(fw.lastUpdate().getReason()).isEqualTo(Protos.TaskStatus.Reason.REASON_RECONCILIATION);
    }
}
