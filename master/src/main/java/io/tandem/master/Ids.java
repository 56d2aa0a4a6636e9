package io.tandem.master;

import io.tandem.model.AgentId;
import io.tandem.model.FrameworkId;
import io.tandem.model.OfferId;

/**
 * Mints ids in the Mesos style, prefixed with the master's id so that ids from two master runs
 * never collide: frameworks {@code <master>-0000}, agents {@code <master>-S0}, offers
 * {@code <master>-O0}.
 *
 * <p>Owned by the master loop thread; not thread-safe.
 */
final class Ids {
    private final String masterId;
    private long frameworks;
    private long agents;
    private long offers;

    Ids(String masterId) {
        this.masterId = masterId;
    }

    String masterId() {
        return masterId;
    }

    FrameworkId nextFramework() {
        return new FrameworkId(masterId + "-" + String.format("%04d", frameworks++));
    }

    AgentId nextAgent() {
        return new AgentId(masterId + "-S" + agents++);
    }

    OfferId nextOffer() {
        return new OfferId(masterId + "-O" + offers++);
    }
}
