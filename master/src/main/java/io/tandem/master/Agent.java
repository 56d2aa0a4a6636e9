package io.tandem.master;

import io.tandem.api.agent.AgentCall;
import io.tandem.api.agent.AgentEvent;
import io.tandem.model.AgentId;
import io.tandem.model.Resources;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.Protos.AgentInfo;
import org.apache.mesos.v1.Protos.Resource;

/**
 * An agent the master knows. It is reachable while it keeps reporting; after {@code agentTimeout}
 * without a report it is unreachable: it leaves the allocator but is remembered, so that it can come
 * back with its tasks.
 *
 * <p>Owned by the master loop thread; not thread-safe.
 */
final class Agent {
    private final AgentId id;
    private final Instant registeredAt;
    private AgentInfo info;
    private String ip;
    private Resources total;
    private EventSink<AgentEvent> stream;
    private String streamId;
    private Instant lastSeen;
    private boolean reachable = true;
    private Instant reregisteredAt;
    private List<Resource> used = List.of();
    private ReportedUsage usage = ReportedUsage.NONE;
    /** Dynamic reservations made on this agent, in order; replayed when it subscribes again. */
    private final List<Reshape> reservations = new java.util.ArrayList<>();

    /** Resources {@code from} became {@code to}: the same amounts under other roles (a (un)reservation). */
    record Reshape(Resources from, Resources to) {}

    Agent(AgentId id, AgentInfo info, String ip, Resources total, Instant registeredAt) {
        this.id = id;
        this.info = info;
        this.ip = ip;
        this.total = total;
        this.registeredAt = registeredAt;
        this.lastSeen = registeredAt;
    }

    AgentId id() {
        return id;
    }

    AgentInfo info() {
        return info;
    }

    String hostname() {
        return info.getHostname();
    }

    /** The IP the agent's current (or last) subscription came from. */
    String ip() {
        return ip;
    }

    /** Where the agent is, as Mesos puts it in offers; see {@link #url(AgentInfo, String)}. */
    Protos.URL url() {
        return url(info, ip);
    }

    /**
     * Mesos's URL of an agent, {@code http://<ip>:<port>/slave(1)} with the hostname beside the IP:
     * frameworks read it from every offer (some take {@code address.ip} as the task's host).
     */
    static Protos.URL url(AgentInfo info, String ip) {
        return Protos.URL.newBuilder().setScheme("http").setPath("/slave(1)")
                .setAddress(Protos.Address.newBuilder().setHostname(info.getHostname()).setIp(ip)
                        .setPort(info.getPort()))
                .build();
    }

    /** The agent's libprocess pid as Mesos's operator API shows it: {@code slave(1)@<ip>:<port>}. */
    static String pid(AgentInfo info, String ip) {
        return "slave(1)@" + (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + info.getPort();
    }

    /** {@code host:port} for log lines. */
    String address() {
        return info.getHostname() + ":" + info.getPort();
    }

    Resources total() {
        return total;
    }

    void reshaped(Resources from, Resources to) {
        reservations.add(new Reshape(from, to));
    }

    List<Reshape> reservations() {
        return List.copyOf(reservations);
    }

    /** Forgets reservations that no longer apply (the agent came back with other resources). */
    void forgetReservations() {
        reservations.clear();
    }

    Instant registeredAt() {
        return registeredAt;
    }

    Optional<Instant> reregisteredAt() {
        return Optional.ofNullable(reregisteredAt);
    }

    Instant lastSeen() {
        return lastSeen;
    }

    boolean isReachable() {
        return reachable;
    }

    /** What the agent last reported its tasks and executors use. */
    List<Resource> used() {
        return used;
    }

    Optional<String> streamId() {
        return Optional.ofNullable(streamId);
    }

    boolean isConnected() {
        return stream != null;
    }

    /** Sends {@code event} if the agent has a stream; otherwise it is dropped (the agent resyncs on re-subscribe). */
    boolean send(AgentEvent event) {
        if (stream == null) {
            return false;
        }
        stream.send(event);
        return true;
    }

    /** (Re)attaches the agent after a SUBSCRIBE; returns the stream it replaces, if any. */
    Optional<EventSink<AgentEvent>> connect(AgentInfo newInfo, String newIp, Resources newTotal,
                                            EventSink<AgentEvent> newStream, String newStreamId, Instant now,
                                            boolean reregistration) {
        EventSink<AgentEvent> old = stream;
        info = newInfo;
        ip = newIp;
        total = newTotal;
        stream = newStream;
        streamId = newStreamId;
        lastSeen = now;
        reachable = true;
        if (reregistration) {
            reregisteredAt = now;
        }
        return Optional.ofNullable(old);
    }

    void reported(List<Resource> nowUsed, Instant now) {
        reported(new AgentCall.Report(nowUsed), now);
    }

    /** A report, with the usage statistics of the agent's running containers (tasks' and executors'). */
    void reported(AgentCall.Report report, Instant now) {
        used = List.copyOf(report.used());
        usage = new ReportedUsage(report.usage(), report.executors(), now);
        lastSeen = now;
    }

    /** What the agent's running containers used at its last report. */
    ReportedUsage usage() {
        return usage;
    }

    /** Forgets the stream (it broke); the agent stays reachable until its reports stop. */
    void streamBroke() {
        stream = null;
        streamId = null;
    }

    void markUnreachable() {
        reachable = false;
        if (stream != null) {
            stream.close();
        }
        stream = null;
        streamId = null;
    }

    @Override
    public String toString() {
        return id + " (" + address() + ")";
    }
}
