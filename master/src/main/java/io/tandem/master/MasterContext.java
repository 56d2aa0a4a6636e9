package io.tandem.master;

import io.tandem.allocator.Allocator;
import java.time.Instant;
import java.time.InstantSource;
import org.apache.mesos.v1.Protos.MasterInfo;

/**
 * The master's state and the facts every handler needs, passed to each handler's constructor.
 * Everything reachable from here is owned by the master loop thread.
 */
record MasterContext(MasterConfig config, InstantSource clock, MasterInfo masterInfo, Ids ids,
                     Frameworks frameworks, Agents agents, Offers offers, Tasks tasks, Allocator allocator,
                     RecoveredAgents recoveredAgents, Maintenance maintenance) {

    static MasterContext create(MasterConfig config, InstantSource clock, MasterInfo masterInfo, Allocator allocator) {
        return new MasterContext(config, clock, masterInfo, new Ids(masterInfo.getId()), new Frameworks(),
                new Agents(), new Offers(), new Tasks(), allocator, new RecoveredAgents(),
                new Maintenance());
    }

    Instant now() {
        return clock.instant();
    }
}
