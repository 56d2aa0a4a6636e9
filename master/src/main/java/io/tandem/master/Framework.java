package io.tandem.master;

import io.tandem.model.FrameworkId;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.scheduler.Protos.Event;

/**
 * A framework the master knows: connected (it has an event stream) or disconnected and waiting for
 * its scheduler to fail over until {@link #failoverDeadline()}.
 *
 * <p>Owned by the master loop thread; not thread-safe.
 */
final class Framework {
    private final FrameworkId id;
    private final Instant registeredAt;
    private FrameworkInfo info;
    private EventSink<Event> stream;
    private String streamId;
    private Instant failoverDeadline;
    private Instant reregisteredAt;

    Framework(FrameworkId id, FrameworkInfo info, Instant registeredAt) {
        this.id = id;
        this.info = info;
        this.registeredAt = registeredAt;
    }

    FrameworkId id() {
        return id;
    }

    FrameworkInfo info() {
        return info;
    }

    String name() {
        return info.getName();
    }

    Instant registeredAt() {
        return registeredAt;
    }

    Optional<Instant> reregisteredAt() {
        return Optional.ofNullable(reregisteredAt);
    }

    /**
     * The roles it receives offers for: {@code roles} with the MULTI_ROLE capability, else the
     * deprecated single {@code role}, {@code "*"} when unset (as in Mesos).
     */
    Set<String> roles() {
        return rolesOf(info);
    }

    @SuppressWarnings("deprecation") // FrameworkInfo.role is deprecated but still what non-MULTI_ROLE frameworks send
    static Set<String> rolesOf(FrameworkInfo info) {
        if (hasCapability(info, FrameworkInfo.Capability.Type.MULTI_ROLE)) {
            return new LinkedHashSet<>(info.getRolesList());
        }
        return Set.of(info.hasRole() ? info.getRole() : "*");
    }

    /** Without RESERVATION_REFINEMENT a framework reads reservations in the pre-refinement format. */
    boolean understandsReservationRefinement() {
        return hasCapability(info, FrameworkInfo.Capability.Type.RESERVATION_REFINEMENT);
    }

    /** Partition-aware frameworks understand TASK_UNREACHABLE, TASK_DROPPED, TASK_GONE and TASK_UNKNOWN. */
    boolean isPartitionAware() {
        return hasCapability(info, FrameworkInfo.Capability.Type.PARTITION_AWARE);
    }

    static boolean hasCapability(FrameworkInfo info, FrameworkInfo.Capability.Type type) {
        return info.getCapabilitiesList().stream().anyMatch(c -> c.getType() == type);
    }

    boolean isConnected() {
        return stream != null;
    }

    Optional<String> streamId() {
        return Optional.ofNullable(streamId);
    }

    Optional<Instant> failoverDeadline() {
        return Optional.ofNullable(failoverDeadline);
    }

    /** Sends {@code event} if connected; a disconnected framework misses it (agents resend updates). */
    void send(Event event) {
        if (stream != null) {
            stream.send(event);
        }
    }

    /** Attaches a new stream, returning the one it replaces (if any) for the caller to close. */
    Optional<EventSink<Event>> connect(FrameworkInfo newInfo, EventSink<Event> newStream, String newStreamId,
                                       Instant now, boolean reregistration) {
        EventSink<Event> old = stream;
        info = newInfo;
        stream = newStream;
        streamId = newStreamId;
        failoverDeadline = null;
        if (reregistration) {
            reregisteredAt = now;
        }
        return Optional.ofNullable(old);
    }

    /** Detaches the stream; the framework may come back until {@code deadline}. */
    void disconnect(Instant deadline) {
        if (stream != null) {
            stream.close();
        }
        stream = null;
        streamId = null;
        failoverDeadline = deadline;
    }

    void closeStream() {
        disconnect(null);
    }

    List<FrameworkInfo.Capability.Type> capabilities() {
        return info.getCapabilitiesList().stream().map(FrameworkInfo.Capability::getType).toList();
    }

    @Override
    public String toString() {
        return id + " (" + info.getName() + ")";
    }
}
