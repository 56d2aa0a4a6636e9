package io.tandem.testkit;

import com.google.protobuf.ByteString;
import io.tandem.sdk.OfferMatcher;
import io.tandem.sdk.Placement;
import io.tandem.sdk.ResourceNeeds;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.HealthCheck;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.Value;

/**
 * What a test wants to run, before it has resources: built by {@link Tasks}, turned into a
 * {@code TaskInfo} by {@link #on(Offer)} (resources cut from the offer by {@link OfferMatcher}).
 * A mutable builder; not thread-safe.
 */
public final class TaskSpec {
    private final String taskId;
    private final CommandInfo command;
    private final ExecutorInfo executor;
    private String name;
    private double cpus = 0.1;
    private double memMb = 32;
    private double diskMb;
    private int ports;
    private ByteString data = ByteString.EMPTY;
    private HealthCheck healthCheck;

    TaskSpec(String taskId, CommandInfo command, ExecutorInfo executor) {
        this.taskId = taskId;
        this.command = command;
        this.executor = executor;
        this.name = taskId;
    }

    public TaskSpec name(String value) {
        name = value;
        return this;
    }

    public TaskSpec cpus(double value) {
        cpus = value;
        return this;
    }

    public TaskSpec mem(double mb) {
        memMb = mb;
        return this;
    }

    public TaskSpec disk(double mb) {
        diskMb = mb;
        return this;
    }

    public TaskSpec ports(int count) {
        ports = count;
        return this;
    }

    /** The task's {@code data}; {@link EchoExecutor} reads "finish" or "wait" here. */
    public TaskSpec data(String text) {
        data = ByteString.copyFromUtf8(text);
        return this;
    }

    /** The task's {@code health_check}, which the agent runs for command tasks. */
    public TaskSpec healthCheck(HealthCheck check) {
        healthCheck = check;
        return this;
    }

    public TaskID taskId() {
        return TaskID.newBuilder().setValue(taskId).build();
    }

    public ResourceNeeds needs() {
        return new ResourceNeeds(cpus, memMb, diskMb, ports);
    }

    /**
     * The task on {@code offer}'s agent with resources cut from it.
     *
     * @throws IllegalArgumentException when it does not fit, saying what is missing
     */
    public TaskInfo on(Offer offer) {
        Placement placement = OfferMatcher.match(offer, needs());
        if (!placement.fits()) {
            throw new IllegalArgumentException("task " + taskId + " does not fit: " + placement.reason());
        }
        return build(offer, placement.resources());
    }

    /** The task on what is left in {@code matcher} (which packs several tasks into one offer), if it fits. */
    public Optional<TaskInfo> on(OfferMatcher matcher, Offer offer) {
        Placement placement = matcher.take(needs());
        return placement.fits() ? Optional.of(build(offer, placement.resources())) : Optional.empty();
    }

    /**
     * The task on {@code offer}'s agent with exactly the scalar resources asked for (unreserved, in
     * the offer's role), whether or not the offer holds them: for testing what the master refuses.
     */
    public TaskInfo unchecked(Offer offer) {
        List<Resource> resources = new ArrayList<>();
        addScalar(resources, offer, "cpus", cpus);
        addScalar(resources, offer, "mem", memMb);
        addScalar(resources, offer, "disk", diskMb);
        return build(offer, resources);
    }

    private static void addScalar(List<Resource> into, Offer offer, String name, double amount) {
        if (amount > 0) {
            Resource.Builder r = Resource.newBuilder().setName(name).setType(Value.Type.SCALAR)
                    .setScalar(Value.Scalar.newBuilder().setValue(amount));
            if (offer.hasAllocationInfo()) {
                r.setAllocationInfo(offer.getAllocationInfo());
            }
            into.add(r.build());
        }
    }

    private TaskInfo build(Offer offer, List<Resource> resources) {
        TaskInfo.Builder task = TaskInfo.newBuilder().setName(name).setTaskId(taskId())
                .setAgentId(offer.getAgentId()).addAllResources(resources).setData(data);
        if (command != null) {
            task.setCommand(command);
        }
        if (executor != null) {
            task.setExecutor(executor);
        }
        if (healthCheck != null) {
            task.setHealthCheck(healthCheck);
        }
        return task.build();
    }
}
