package io.tandem.sdk;

import java.util.ArrayList;
import java.util.List;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.Value;
import org.apache.mesos.v1.scheduler.Protos.Call;

/**
 * Part of a framework's declared demand: {@code count} more tasks, each needing {@code needs}. Sent with
 * {@link SchedulerCalls#declareDemand}; Tandem's allocator then offers resources task by task as its
 * fair-share policy says (Apache Mesos masters ignore the declaration).
 *
 * <p>A task's ports are declared as a count, a SCALAR resource {@code ports} (Tandem's convention): the
 * master then offers each task that many of an agent's free ports.
 */
public record TaskShape(ResourceNeeds needs, int count) {

    public TaskShape {
        if (needs == null) {
            throw new IllegalArgumentException("a task shape needs its resource needs");
        }
        if (count < 0) {
            throw new IllegalArgumentException("a task count must be zero or more, got " + count);
        }
    }

    /** {@code count} tasks of {@code cpus} cores and {@code memMb} MB each. */
    public static TaskShape of(int count, double cpus, double memMb) {
        return new TaskShape(ResourceNeeds.of(cpus, memMb), count);
    }

    /**
     * The REQUEST call's body declaring {@code shapes} in {@code role}: one {@code Request} entry per task
     * (Mesos's {@code Request} has no count, so identical entries count), its resources marked with the
     * role as allocation info, or unmarked (the framework's single role) when {@code role} is null.
     */
    static Call.Request request(String role, List<TaskShape> shapes) {
        Call.Request.Builder request = Call.Request.newBuilder();
        for (TaskShape shape : shapes) {
            org.apache.mesos.v1.Protos.Request task = org.apache.mesos.v1.Protos.Request.newBuilder()
                    .addAllResources(shape.resources(role)).build();
            for (int i = 0; i < shape.count; i++) {
                request.addRequests(task);
            }
        }
        return request.build();
    }

    /** One task's resources as Mesos resources: the non-zero scalars among cpus, mem, disk and a ports count. */
    List<Resource> resources(String role) {
        List<Resource> resources = new ArrayList<>();
        addScalar(resources, "cpus", needs.cpus(), role);
        addScalar(resources, "mem", needs.memMb(), role);
        addScalar(resources, "disk", needs.diskMb(), role);
        addScalar(resources, "ports", needs.ports(), role);
        return resources;
    }

    private static void addScalar(List<Resource> resources, String name, double amount, String role) {
        if (amount <= 0) {
            return;
        }
        Resource.Builder resource = Resource.newBuilder().setName(name).setType(Value.Type.SCALAR)
                .setScalar(Value.Scalar.newBuilder().setValue(amount));
        if (role != null) {
            resource.setAllocationInfo(Resource.AllocationInfo.newBuilder().setRole(role));
        }
        resources.add(resource.build());
    }
}
