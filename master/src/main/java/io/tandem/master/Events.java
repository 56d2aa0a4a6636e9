package io.tandem.master;

import com.google.protobuf.ByteString;
import java.util.List;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.scheduler.Protos.Event;

/** Builds the scheduler API's events. Stateless. */
final class Events {
    private static final Event HEARTBEAT = Event.newBuilder().setType(Event.Type.HEARTBEAT).build();

    private Events() {}

    static Event subscribed(Protos.FrameworkID frameworkId, double heartbeatSeconds, Protos.MasterInfo master) {
        return Event.newBuilder().setType(Event.Type.SUBSCRIBED)
                .setSubscribed(Event.Subscribed.newBuilder().setFrameworkId(frameworkId)
                        .setHeartbeatIntervalSeconds(heartbeatSeconds).setMasterInfo(master))
                .build();
    }

    static Event heartbeat() {
        return HEARTBEAT;
    }

    static Event offers(List<Protos.Offer> offers) {
        return Event.newBuilder().setType(Event.Type.OFFERS)
                .setOffers(Event.Offers.newBuilder().addAllOffers(offers)).build();
    }

    /** An INVERSE_OFFERS event (Mesos 1.x sends inverse offers apart from offers). */
    static Event inverseOffers(List<Protos.InverseOffer> inverseOffers) {
        return Event.newBuilder().setType(Event.Type.INVERSE_OFFERS)
                .setInverseOffers(Event.InverseOffers.newBuilder().addAllInverseOffers(inverseOffers)).build();
    }

    static Event rescindInverseOffer(Protos.OfferID inverseOfferId) {
        return Event.newBuilder().setType(Event.Type.RESCIND_INVERSE_OFFER)
                .setRescindInverseOffer(Event.RescindInverseOffer.newBuilder().setInverseOfferId(inverseOfferId)).build();
    }

    static Event rescind(Protos.OfferID offerId) {
        return Event.newBuilder().setType(Event.Type.RESCIND)
                .setRescind(Event.Rescind.newBuilder().setOfferId(offerId)).build();
    }

    static Event update(Protos.TaskStatus status) {
        return Event.newBuilder().setType(Event.Type.UPDATE)
                .setUpdate(Event.Update.newBuilder().setStatus(status)).build();
    }

    static Event message(Protos.AgentID agentId, Protos.ExecutorID executorId, ByteString data) {
        return Event.newBuilder().setType(Event.Type.MESSAGE)
                .setMessage(Event.Message.newBuilder().setAgentId(agentId).setExecutorId(executorId).setData(data))
                .build();
    }

    /** An agent was lost (Mesos's {@code slaveLost}). */
    static Event agentLost(Protos.AgentID agentId) {
        return Event.newBuilder().setType(Event.Type.FAILURE)
                .setFailure(Event.Failure.newBuilder().setAgentId(agentId)).build();
    }

    /** An executor exited with {@code status} (a wait status, as Mesos's {@code ExitedExecutorMessage}). */
    static Event executorExited(Protos.AgentID agentId, Protos.ExecutorID executorId, int status) {
        return Event.newBuilder().setType(Event.Type.FAILURE)
                .setFailure(Event.Failure.newBuilder().setAgentId(agentId).setExecutorId(executorId).setStatus(status))
                .build();
    }

    static Event error(String message) {
        return Event.newBuilder().setType(Event.Type.ERROR)
                .setError(Event.Error.newBuilder().setMessage(message)).build();
    }
}
