package io.tandem.master;

import static io.tandem.master.Protobufs.task;
import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.api.ResourceMapping;
import io.tandem.api.agent.AgentCall;
import io.tandem.api.agent.AgentEvent;
import io.tandem.model.Resources;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus.Reason;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Agents joining, going silent, coming back, and a master that restarted meeting its old agents. */
class MasterLoopAgentTest {
    @TempDir
    Path dir;
    LoopDriver master;

    @BeforeEach
    void start() {
        master = new LoopDriver(LoopDriver.config(dir).withAgentTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(15)));
    }

    @AfterEach
    void stop() {
        master.close();
    }

    private void launchRunning(LoopDriver.Scheduler fw, LoopDriver.AgentStream agent, String taskId) {
        master.call(fw, Protobufs.launch(fw.id(), fw.lastOffer().getId(), task(taskId, agent.id(), "cpus:1")));
        master.update(agent, fw.id(), Protobufs.status(taskId, agent.id(), TaskState.TASK_RUNNING));
    }

    private AgentCall.KnownTask known(LoopDriver.Scheduler fw, LoopDriver.AgentStream agent, String taskId) {
        return new AgentCall.KnownTask(task(taskId, agent.id(), "cpus:1"), fw.id(), TaskState.TASK_RUNNING);
    }

    private Protos.AgentInfo withId(LoopDriver.AgentStream agent) {
        return Protobufs.agentInfo("h1", "cpus:4;mem:1024").toBuilder().setId(agent.id()).build();
    }

    @Test
    void offersSayWhereTheAgentIsAsMesosDoesWithTheIpItSubscribedFrom() {
        master.agent("h1", "cpus:4;mem:1024");
        LoopDriver.Scheduler fw = master.subscribe(Protobufs.framework("fw"));

        assertThat(fw.lastOffer().getHostname()).isEqualTo("h1");
        assertThat(fw.lastOffer().getUrl()).isEqualTo(Protos.URL.newBuilder()
                .setScheme("http")
                .setAddress(Protos.Address.newBuilder().setHostname("h1").setIp(LoopDriver.AGENT_IP).setPort(5051))
                .setPath("/slave(1)")
                .build());
    }

    @Test
    void theOperatorApiShowsTheAgentsAddressAsOffersDo() {
        master.agent("h1", "cpus:4;mem:1024");
        LoopDriver.Scheduler fw = master.subscribe(Protobufs.framework("fw"));
        ClusterSnapshot snapshot = master.snapshot();

        assertThat(OperatorResponses.getAgents(snapshot).getGetAgents().getAgentsList()).singleElement()
                .satisfies(a -> assertThat(a.getPid()).isEqualTo("slave(1)@" + LoopDriver.AGENT_IP + ":5051"));
        assertThat(OperatorResponses.getFrameworks(snapshot).getGetFrameworks().getFrameworks(0).getOffersList())
                .singleElement().satisfies(o -> assertThat(o.getUrl()).isEqualTo(fw.lastOffer().getUrl()));
    }

    @Test
    void anAgentThatKeepsReportingStaysReachable() {
        LoopDriver.AgentStream agent = master.agent("h1", "cpus:4;mem:1024");

        for (int i = 0; i < 5; i++) {
            master.advance(Duration.ofSeconds(10));
            assertThat(master.send(agent, new AgentCall.Report(List.of())).isAccepted()).isTrue();
        }

        assertThat(master.snapshot().agents()).singleElement().satisfies(a -> assertThat(a.reachable()).isTrue());
    }

    @Test
    void aSilentAgentIsUnreachableAndItsTasksReportedByCapability() {
        LoopDriver.AgentStream agent = master.agent("h1", "cpus:4;mem:1024");
        LoopDriver.Scheduler aware = master.subscribe(Protobufs.partitionAware(Protobufs.framework("aware")));
        launchRunning(aware, agent, "a1");
        LoopDriver.Scheduler plain = master.subscribe(Protobufs.framework("plain"));
        launchRunning(plain, agent, "p1");

        master.advance(Duration.ofSeconds(16));

        assertThat(aware.lastUpdate()).satisfies(s -> {
            assertThat(s.getState()).isEqualTo(TaskState.TASK_UNREACHABLE);
            assertThat(s.getReason()).isEqualTo(Reason.REASON_AGENT_REMOVED);
            assertThat(s.hasUnreachableTime()).isTrue();
            assertThat(s.getMessage()).contains("unreachable").endsWith("no report for 15s");
        });
        assertThat(plain.lastUpdate().getState()).isEqualTo(TaskState.TASK_LOST);
        assertThat(plain.eventsOf(Event.Type.FAILURE)).singleElement()
                .satisfies(e -> assertThat(e.getFailure().getAgentId()).isEqualTo(agent.id()));
        assertThat(master.send(agent, new AgentCall.Report(List.of())).status()).isEqualTo(403);
        assertThat(agent.sink().isClosed()).isTrue();
    }

    @Test
    void anUnreachableAgentThatComesBackHasItsRunningTasksReportedAgain() {
        LoopDriver.AgentStream agent = master.agent("h1", "cpus:4;mem:1024");
        LoopDriver.Scheduler aware = master.subscribe(Protobufs.partitionAware(Protobufs.framework("aware")));
        launchRunning(aware, agent, "a1");
        LoopDriver.Scheduler plain = master.subscribe(Protobufs.framework("plain"));
        launchRunning(plain, agent, "p1");
        master.advance(Duration.ofSeconds(16));

        LoopDriver.AgentStream back = master.agent(withId(agent),
                List.of(known(aware, agent, "a1"), known(plain, agent, "p1")), List.of());

        assertThat(back.id()).isEqualTo(agent.id());
        assertThat(aware.lastUpdate().getState()).isEqualTo(TaskState.TASK_RUNNING);
        assertThat(aware.lastUpdate().getReason()).isEqualTo(Reason.REASON_AGENT_REREGISTERED);
        assertThat(back.eventsOf(AgentEvent.Kill.class)).extracting(k -> k.taskId().getValue()).doesNotContain("a1");
        ClusterSnapshot snapshot = master.snapshot();
        assertThat(snapshot.agents()).singleElement().satisfies(a -> assertThat(a.reachable()).isTrue());
        // The two running tasks hold a cpu each (p1 until its kill ends it); the rest is offered again.
        assertThat(snapshot.offers()).singleElement()
                .satisfies(o -> assertThat(o.resources()).isEqualTo(Resources.parse("cpus:2;mem:1024")));
    }

    @Test
    void aTaskOfAFrameworkWithoutPartitionAwareIsKilledWhenItsUnreachableAgentComesBack() {
        LoopDriver.AgentStream agent = master.agent("h1", "cpus:4;mem:1024");
        LoopDriver.Scheduler plain = master.subscribe(Protobufs.framework("plain"));
        launchRunning(plain, agent, "p1");
        master.advance(Duration.ofSeconds(16));
        int updates = plain.updates().size();

        LoopDriver.AgentStream back = master.agent(withId(agent), List.of(known(plain, agent, "p1")), List.of());

        assertThat(plain.updates()).hasSize(updates); // it was told TASK_LOST and hears nothing new
        assertThat(plain.lastUpdate().getState()).isEqualTo(TaskState.TASK_LOST);
        assertThat(back.eventsOf(AgentEvent.Kill.class)).singleElement().satisfies(kill -> {
            assertThat(kill.taskId().getValue()).isEqualTo("p1");
            assertThat(kill.frameworkId()).isEqualTo(plain.id());
        });
        master.call(plain, Protobufs.reconcile(plain.id(), "p1"));
        assertThat(plain.lastUpdate().getState()).isEqualTo(TaskState.TASK_LOST);
    }

    @Test
    void aKilledTaskOfAFrameworkWithoutPartitionAwareReportsOnlyItsEnd() {
        LoopDriver.AgentStream agent = master.agent("h1", "cpus:4;mem:1024");
        LoopDriver.Scheduler plain = master.subscribe(Protobufs.framework("plain"));
        launchRunning(plain, agent, "p1");
        master.advance(Duration.ofSeconds(16));
        LoopDriver.AgentStream back = master.agent(withId(agent), List.of(known(plain, agent, "p1")), List.of());
        int updates = plain.updates().size();

        Protos.TaskStatus running = Protobufs.status("p1", agent.id(), TaskState.TASK_RUNNING);
        master.update(back, plain.id(), running);

        assertThat(plain.updates()).hasSize(updates);
        // The master acknowledges it itself, so that the agent goes on to the terminal update.
        assertThat(back.eventsOf(AgentEvent.Acknowledge.class)).singleElement()
                .satisfies(ack -> assertThat(ack.uuid()).isEqualTo(running.getUuid()));

        master.update(back, plain.id(), Protobufs.status("p1", agent.id(), TaskState.TASK_KILLED));

        assertThat(plain.lastUpdate().getState()).isEqualTo(TaskState.TASK_KILLED);
        assertThat(plain.lastUpdate().hasUuid()).isTrue();
        assertThat(master.snapshot().offers().stream().map(Offer::resources).reduce(Resources.empty(), Resources::plus))
                .isEqualTo(Resources.parse("cpus:4;mem:1024"));
    }

    @Test
    void aTaskOfAPartitionAwareFrameworkRunsOnWhenItsUnreachableAgentComesBack() {
        LoopDriver.AgentStream agent = master.agent("h1", "cpus:4;mem:1024");
        LoopDriver.Scheduler aware = master.subscribe(Protobufs.partitionAware(Protobufs.framework("aware")));
        launchRunning(aware, agent, "a1");
        master.advance(Duration.ofSeconds(16));

        LoopDriver.AgentStream back = master.agent(withId(agent), List.of(known(aware, agent, "a1")), List.of());

        assertThat(aware.lastUpdate().getState()).isEqualTo(TaskState.TASK_RUNNING);
        assertThat(back.eventsOf(AgentEvent.Kill.class)).isEmpty();
        assertThat(master.snapshot().tasks()).singleElement()
                .satisfies(t -> assertThat(t.state()).isEqualTo(io.tandem.model.TaskState.TASK_RUNNING));
    }

    @Test
    void aTaskTheRejoiningAgentNoLongerKnowsIsLost() {
        LoopDriver.AgentStream agent = master.agent("h1", "cpus:4;mem:1024");
        LoopDriver.Scheduler fw = master.subscribe(Protobufs.framework("fw"));
        launchRunning(fw, agent, "t1");

        master.agent(withId(agent), List.of(), List.of());

        assertThat(fw.lastUpdate()).satisfies(s -> {
            assertThat(s.getTaskId().getValue()).isEqualTo("t1");
            assertThat(s.getState()).isEqualTo(TaskState.TASK_LOST);
            assertThat(s.getMessage()).contains("without this task");
        });
        assertThat(master.snapshot().tasks()).isEmpty();
    }

    @Test
    void aRejoiningAgentReplacesItsOldStream() {
        LoopDriver.AgentStream agent = master.agent("h1", "cpus:4;mem:1024");

        LoopDriver.AgentStream again = master.agent(withId(agent), List.of(), List.of());

        assertThat(agent.sink().isClosed()).isTrue();
        assertThat(master.send(agent, new AgentCall.Report(List.of())).status()).isEqualTo(403);
        assertThat(master.send(again, new AgentCall.Report(List.of())).isAccepted()).isTrue();
        assertThat(master.snapshot().agents()).hasSize(1);
    }

    @Test
    void afterAMasterRestartAnAgentsTasksAreAdoptedUntilTheirFrameworkReturns() {
        Protos.FrameworkID frameworkId = Protobufs.frameworkId("old-master-0000");
        Protos.FrameworkInfo info = Protobufs.framework("fw").toBuilder().setId(frameworkId).build();
        Protos.AgentInfo agentInfo = Protobufs.agentInfo("h1", "cpus:4;mem:1024").toBuilder()
                .setId(Protobufs.agentId("old-master-S3")).build();
        AgentCall.KnownTask running = new AgentCall.KnownTask(task("t1", agentInfo.getId(), "cpus:1"), frameworkId,
                TaskState.TASK_RUNNING);

        LoopDriver.AgentStream agent = master.agent(agentInfo, List.of(running), List.of(info));
        assertThat(agent.id().getValue()).isEqualTo("old-master-S3");
        assertThat(master.snapshot().frameworks()).singleElement().satisfies(f -> assertThat(f.connected()).isFalse());

        LoopDriver.Scheduler fw = master.subscribe(info);
        master.call(fw, Protobufs.reconcile(fw.id(), "t1"));

        assertThat(fw.id()).isEqualTo(frameworkId);
        assertThat(fw.lastUpdate().getState()).isEqualTo(TaskState.TASK_RUNNING);
        assertThat(ResourceMapping.fromMesos(fw.lastOffer().getResourcesList()).scalar("cpus")).isEqualTo(3.0);
    }

    @Test
    void updatesForARemovedFrameworkMakeTheAgentShutItDown() {
        LoopDriver.AgentStream agent = master.agent("h1", "cpus:4;mem:1024");
        LoopDriver.Scheduler fw = master.subscribe(Protobufs.framework("fw"));
        launchRunning(fw, agent, "t1");
        master.call(fw, Protobufs.simple(fw.id(), org.apache.mesos.v1.scheduler.Protos.Call.Type.TEARDOWN));
        int shutdowns = agent.eventsOf(AgentEvent.ShutdownFramework.class).size();

        master.update(agent, fw.id(), Protobufs.status("t1", agent.id(), TaskState.TASK_KILLED));

        assertThat(agent.eventsOf(AgentEvent.ShutdownFramework.class)).hasSize(shutdowns + 1);
    }
}
