package io.tandem.agent;

import io.tandem.api.agent.AgentCall;

/**
 * The way out to the master: {@link MasterLink} in production, a recorder in tests. Sending never
 * blocks and never fails; a call that cannot be delivered is dropped, because the status update
 * queue resends updates and reports are periodic.
 */
interface MasterChannel {
    void send(AgentCall call);
}
