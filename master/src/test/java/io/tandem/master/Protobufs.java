package io.tandem.master;

import com.google.protobuf.ByteString;
import io.tandem.api.ResourceMapping;
import io.tandem.model.Resources;
import java.nio.ByteBuffer;
import java.util.UUID;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.scheduler.Protos.Call;

/** Builders for the Mesos messages tests send, with sensible defaults. */
final class Protobufs {
    private Protobufs() {}

    static FrameworkInfo framework(String name) {
        return FrameworkInfo.newBuilder().setUser("tester").setName(name).build();
    }

    static FrameworkInfo partitionAware(FrameworkInfo info) {
        return info.toBuilder().addCapabilities(FrameworkInfo.Capability.newBuilder()
                .setType(FrameworkInfo.Capability.Type.PARTITION_AWARE)).build();
    }

    static FrameworkInfo withFailover(FrameworkInfo info, double seconds) {
        return info.toBuilder().setFailoverTimeout(seconds).build();
    }

    static Protos.AgentInfo agentInfo(String hostname, String resources) {
        return Protos.AgentInfo.newBuilder().setHostname(hostname).setPort(5051)
                .addAllResources(ResourceMapping.toMesos(Resources.parse(resources), null)).build();
    }

    static Protos.FrameworkID frameworkId(String id) {
        return Protos.FrameworkID.newBuilder().setValue(id).build();
    }

    static Protos.AgentID agentId(String id) {
        return Protos.AgentID.newBuilder().setValue(id).build();
    }

    static Protos.OfferID offerId(String id) {
        return Protos.OfferID.newBuilder().setValue(id).build();
    }

    static Protos.TaskID taskId(String id) {
        return Protos.TaskID.newBuilder().setValue(id).build();
    }

    /** A command task using {@code resources} on the agent. */
    static Protos.TaskInfo task(String id, Protos.AgentID agent, String resources) {
        return Protos.TaskInfo.newBuilder().setName(id).setTaskId(taskId(id)).setAgentId(agent)
                .addAllResources(ResourceMapping.toMesos(Resources.parse(resources), null))
                .setCommand(Protos.CommandInfo.newBuilder().setValue("sleep 1000"))
                .build();
    }

    static Protos.Resource scalar(String name, double value) {
        return Protos.Resource.newBuilder().setName(name).setType(Protos.Value.Type.SCALAR)
                .setScalar(Protos.Value.Scalar.newBuilder().setValue(value)).build();
    }

    static Call subscribe(FrameworkInfo info) {
        Call.Builder call = Call.newBuilder().setType(Call.Type.SUBSCRIBE)
                .setSubscribe(Call.Subscribe.newBuilder().setFrameworkInfo(info));
        if (info.hasId()) {
            call.setFrameworkId(info.getId());
        }
        return call.build();
    }

    static Call launch(Protos.FrameworkID framework, Protos.OfferID offer, Protos.TaskInfo... tasks) {
        return accept(framework, java.util.List.of(offer), tasks);
    }

    static Call accept(Protos.FrameworkID framework, java.util.List<Protos.OfferID> offers, Protos.TaskInfo... tasks) {
        Call.Accept.Builder accept = Call.Accept.newBuilder().addAllOfferIds(offers);
        if (tasks.length > 0) {
            accept.addOperations(Protos.Offer.Operation.newBuilder().setType(Protos.Offer.Operation.Type.LAUNCH)
                    .setLaunch(Protos.Offer.Operation.Launch.newBuilder().addAllTaskInfos(java.util.List.of(tasks))));
        }
        return Call.newBuilder().setType(Call.Type.ACCEPT).setFrameworkId(framework).setAccept(accept).build();
    }

    static Call decline(Protos.FrameworkID framework, Protos.OfferID offer, double refuseSeconds) {
        return Call.newBuilder().setType(Call.Type.DECLINE).setFrameworkId(framework)
                .setDecline(Call.Decline.newBuilder().addOfferIds(offer)
                        .setFilters(Protos.Filters.newBuilder().setRefuseSeconds(refuseSeconds)))
                .build();
    }

    static Call simple(Protos.FrameworkID framework, Call.Type type) {
        Call.Builder call = Call.newBuilder().setType(type).setFrameworkId(framework);
        switch (type) {
            case SUPPRESS -> call.setSuppress(Call.Suppress.getDefaultInstance());
            case REVIVE -> call.setRevive(Call.Revive.getDefaultInstance());
            case RECONCILE -> call.setReconcile(Call.Reconcile.getDefaultInstance());
            default -> { }
        }
        return call.build();
    }

    static Call kill(Protos.FrameworkID framework, String task) {
        return Call.newBuilder().setType(Call.Type.KILL).setFrameworkId(framework)
                .setKill(Call.Kill.newBuilder().setTaskId(taskId(task))).build();
    }

    static Call acknowledge(Protos.FrameworkID framework, Protos.TaskStatus status) {
        return Call.newBuilder().setType(Call.Type.ACKNOWLEDGE).setFrameworkId(framework)
                .setAcknowledge(Call.Acknowledge.newBuilder().setTaskId(status.getTaskId())
                        .setAgentId(status.getAgentId()).setUuid(status.getUuid()))
                .build();
    }

    static Call reconcile(Protos.FrameworkID framework, String... tasks) {
        Call.Reconcile.Builder reconcile = Call.Reconcile.newBuilder();
        for (String task : tasks) {
            reconcile.addTasks(Call.Reconcile.Task.newBuilder().setTaskId(taskId(task)));
        }
        return Call.newBuilder().setType(Call.Type.RECONCILE).setFrameworkId(framework).setReconcile(reconcile).build();
    }

    /** A status as an agent sends it: with a fresh uuid, so it must be acknowledged. */
    static Protos.TaskStatus status(String task, Protos.AgentID agent, Protos.TaskState state) {
        UUID uuid = UUID.randomUUID();
        ByteBuffer bytes = ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits())
                .putLong(uuid.getLeastSignificantBits());
        return Protos.TaskStatus.newBuilder().setTaskId(taskId(task)).setAgentId(agent).setState(state)
                .setSource(Protos.TaskStatus.Source.SOURCE_EXECUTOR)
                .setUuid(ByteString.copyFrom(bytes.array())).build();
    }
}
