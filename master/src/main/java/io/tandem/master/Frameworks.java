package io.tandem.master;

import io.tandem.model.FrameworkId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.mesos.v1.Protos.FrameworkInfo;

/**
 * The frameworks the master knows, and the ids of those that were torn down (a torn-down framework
 * may not subscribe again under its old id, as in Mesos).
 *
 * <p>Owned by the master loop thread; not thread-safe.
 */
final class Frameworks {
    /** How many torn-down frameworks are remembered for the operator API and re-subscribe refusals. */
    static final int COMPLETED_KEPT = 1000;

    private final Map<FrameworkId, Framework> active = new LinkedHashMap<>();
    private final Map<FrameworkId, CompletedFramework> completed = new LinkedHashMap<>();

    /** A framework that was torn down: what the operator API still shows. */
    record CompletedFramework(FrameworkInfo info, Instant registeredAt, Instant removedAt) {}

    void add(Framework framework) {
        active.put(framework.id(), framework);
    }

    Optional<Framework> get(FrameworkId id) {
        return Optional.ofNullable(active.get(id));
    }

    boolean wasRemoved(FrameworkId id) {
        return completed.containsKey(id);
    }

    /** Forgets an active framework, remembering it as completed. */
    void remove(Framework framework, Instant now) {
        active.remove(framework.id());
        completed.put(framework.id(), new CompletedFramework(framework.info(), framework.registeredAt(), now));
        if (completed.size() > COMPLETED_KEPT) {
            completed.remove(completed.keySet().iterator().next());
        }
    }

    Collection<Framework> all() {
        return Collections.unmodifiableCollection(active.values());
    }

    List<Framework> connected() {
        return active.values().stream().filter(Framework::isConnected).toList();
    }

    /** Disconnected frameworks whose failover timeout has passed at {@code now}. */
    List<Framework> failoverExpired(Instant now) {
        List<Framework> out = new ArrayList<>();
        for (Framework f : active.values()) {
            if (!f.isConnected() && f.failoverDeadline().map(d -> !d.isAfter(now)).orElse(false)) {
                out.add(f);
            }
        }
        return out;
    }

    Collection<CompletedFramework> completed() {
        return Collections.unmodifiableCollection(completed.values());
    }
}
