package io.tandem.master;

import io.tandem.allocator.Allocator;
import io.tandem.api.agent.AgentCall;
import io.tandem.api.agent.AgentEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;

/**
 * Drives a {@link MasterLoop} directly, without HTTP: subscribers are {@link RecordingSink}s, time is a
 * {@link TestClock} moved by hand, and every step waits until the loop has handled it (and any
 * allocation it triggered), so tests read as a sequence of facts.
 */
final class LoopDriver implements AutoCloseable {
    /** The address every agent subscribes from here. */
    static final String AGENT_IP = "192.0.2.7";

    final TestClock clock = new TestClock();
    /** The loop's allocator; read it only between steps (each step waits for the loop). */
    final Allocator allocator;
    final MasterConfig config;
    final MasterLoop loop;

    LoopDriver(MasterConfig config) {
        this(config, new Allocator());
    }

    LoopDriver(MasterConfig config, Allocator allocator) {
        this.config = config;
        this.allocator = allocator;
        this.loop = new MasterLoop(config, clock, Master.masterInfo("master-1", "localhost", 5050), allocator);
    }

    static MasterConfig config(Path dir) {
        return MasterConfig.defaults(dir).withBind("127.0.0.1", 0);
    }

    record Scheduler(RecordingSink<Event> sink, Protos.FrameworkID id, String streamId) {
        List<Protos.Offer> offers() {
            return sink.events().stream().filter(e -> e.getType() == Event.Type.OFFERS)
                    .flatMap(e -> e.getOffers().getOffersList().stream()).toList();
        }

        Protos.Offer lastOffer() {
            return offers().getLast();
        }

        List<Protos.TaskStatus> updates() {
            return sink.events().stream().filter(e -> e.getType() == Event.Type.UPDATE)
                    .map(e -> e.getUpdate().getStatus()).toList();
        }

        Protos.TaskStatus lastUpdate() {
            return updates().getLast();
        }

        List<Event> eventsOf(Event.Type type) {
            return sink.events().stream().filter(e -> e.getType() == type).toList();
        }
    }

    record AgentStream(RecordingSink<AgentEvent> sink, Protos.AgentID id, String streamId) {
        <T extends AgentEvent> List<T> eventsOf(Class<T> type) {
            return sink.eventsOf(type);
        }
    }

    Scheduler subscribe(Protos.FrameworkInfo info) {
        RecordingSink<Event> sink = new RecordingSink<>();
        String streamId = UUID.randomUUID().toString();
        Optional<io.tandem.model.FrameworkId> id =
                loop.subscribeFramework(Protobufs.subscribe(info).getSubscribe(), sink, streamId).join();
        flush();
        return new Scheduler(sink, id.map(MesosIds::proto).orElse(null), streamId);
    }

    AgentStream agent(String hostname, String resources) {
        return agent(Protobufs.agentInfo(hostname, resources), List.of(), List.of());
    }

    AgentStream agent(Protos.AgentInfo info, List<AgentCall.KnownTask> tasks, List<Protos.FrameworkInfo> frameworks) {
        RecordingSink<AgentEvent> sink = new RecordingSink<>();
        String streamId = UUID.randomUUID().toString();
        AgentAdmission admission = AgentAdmission.of(new AgentCall.Subscribe(info, tasks, frameworks, List.of()),
                AGENT_IP);
        var id = loop.subscribeAgent(admission, sink, streamId).join();
        flush();
        return new AgentStream(sink, MesosIds.proto(id), streamId);
    }

    /** As if the scheduler's connection dropped. */
    void breakStream(Scheduler scheduler) {
        loop.frameworkStreamBroken(MesosIds.of(scheduler.id()), scheduler.streamId());
        flush();
    }

    CallResult call(Scheduler scheduler, Call call) {
        CallResult result = loop.schedulerCall(call, Optional.of(scheduler.streamId())).join();
        flush();
        return result;
    }

    CallResult operator(org.apache.mesos.v1.master.Protos.Call call) {
        CallResult result = loop.operatorCall(call).join();
        flush();
        return result;
    }

    CallResult send(AgentStream agent, AgentCall call) {
        CallResult result = loop.agentCall(call, MesosIds.of(agent.id()), agent.streamId()).join();
        flush();
        return result;
    }

    CallResult update(AgentStream agent, Protos.FrameworkID framework, Protos.TaskStatus status) {
        return send(agent, new AgentCall.Update(status, framework));
    }

    /** Moves the clock and lets the loop fire what became due. */
    void advance(Duration by) {
        clock.advance(by);
        loop.tick().join();
        flush();
    }

    /** Waits until everything queued on the loop so far, including deferred allocations, has run. */
    void flush() {
        loop.snapshot().join();
    }

    ClusterSnapshot snapshot() {
        return loop.snapshot().join();
    }

    @Override
    public void close() {
        loop.close();
    }
}
