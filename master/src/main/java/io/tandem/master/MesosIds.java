package io.tandem.master;

import io.tandem.model.AgentId;
import io.tandem.model.ExecutorId;
import io.tandem.model.FrameworkId;
import io.tandem.model.OfferId;
import io.tandem.model.TaskId;
import org.apache.mesos.v1.Protos;

/** Converts typed ids to and from their Mesos protobuf form. Stateless. */
final class MesosIds {
    private MesosIds() {}

    static Protos.FrameworkID proto(FrameworkId id) {
        return Protos.FrameworkID.newBuilder().setValue(id.value()).build();
    }

    static Protos.AgentID proto(AgentId id) {
        return Protos.AgentID.newBuilder().setValue(id.value()).build();
    }

    static Protos.OfferID proto(OfferId id) {
        return Protos.OfferID.newBuilder().setValue(id.value()).build();
    }

    static Protos.TaskID proto(TaskId id) {
        return Protos.TaskID.newBuilder().setValue(id.value()).build();
    }

    static Protos.ExecutorID proto(ExecutorId id) {
        return Protos.ExecutorID.newBuilder().setValue(id.value()).build();
    }

    static FrameworkId of(Protos.FrameworkID id) {
        return new FrameworkId(id.getValue());
    }

    static AgentId of(Protos.AgentID id) {
        return new AgentId(id.getValue());
    }

    static OfferId of(Protos.OfferID id) {
        return new OfferId(id.getValue());
    }

    static TaskId of(Protos.TaskID id) {
        return new TaskId(id.getValue());
    }
}
