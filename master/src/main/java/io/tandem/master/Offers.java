package io.tandem.master;

import io.tandem.model.AgentId;
import io.tandem.model.FrameworkId;
import io.tandem.model.OfferId;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Outstanding offers: made to a framework and not yet accepted, declined or rescinded.
 *
 * <p>Owned by the master loop thread; not thread-safe.
 */
final class Offers {
    private final Map<OfferId, Offer> byId = new LinkedHashMap<>();

    void add(Offer offer) {
        byId.put(offer.id(), offer);
    }

    Optional<Offer> get(OfferId id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** Removes and returns the offer, if it is still outstanding. */
    Optional<Offer> remove(OfferId id) {
        return Optional.ofNullable(byId.remove(id));
    }

    List<Offer> ofFramework(FrameworkId id) {
        return byId.values().stream().filter(o -> o.frameworkId().equals(id)).toList();
    }

    List<Offer> onAgent(AgentId id) {
        return byId.values().stream().filter(o -> o.agentId().equals(id)).toList();
    }

    /** Offers made {@code timeout} or longer before {@code now}. */
    List<Offer> olderThan(Duration timeout, Instant now) {
        Instant cutoff = now.minus(timeout);
        return byId.values().stream().filter(o -> !o.createdAt().isAfter(cutoff)).toList();
    }

    Collection<Offer> all() {
        return Collections.unmodifiableCollection(byId.values());
    }
}
