package io.tandem.agent.isolation;

import java.util.List;
import java.util.Map;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.Value;

/**
 * How a task's resources become its container's {@link Limits}: {@code cpus} gives the CPU share,
 * {@code mem} (MB) the hard memory limit; a hard CPU cap applies when the agent caps every task
 * ({@code capCpus}, Mesos's {@code --cgroups_enable_cfs}) or the task asks for one in
 * {@code TaskInfo.limits["cpus"]}; {@code TaskInfo.limits["mem"]} raises the memory limit above the
 * request. An infinite limit means none. {@code disk} (MB) bounds what the sandbox may hold.
 *
 * @param capCpus cap every task at its cpus
 * @param pidsLimit the most processes each task may have; 0 for no limit
 */
public record LimitPolicy(boolean capCpus, long pidsLimit) {
    public LimitPolicy {
        if (pidsLimit < 0) {
            throw new IllegalArgumentException("the pids limit must not be negative, got " + pidsLimit);
        }
    }

    public static LimitPolicy none() {
        return new LimitPolicy(false, 0);
    }

    /** @throws IllegalArgumentException when the task's limits are impossible (negative, NaN) */
    public Limits forTask(TaskInfo task) {
        double cpus = scalar(task, "cpus");
        double mem = scalar(task, "mem");
        Map<String, Value.Scalar> limits = task.getLimitsMap();
        double cap = capCpus ? cpus : 0;
        if (limits.containsKey("cpus")) {
            double asked = limits.get("cpus").getValue();
            cap = Double.isInfinite(asked) && asked > 0 ? 0 : asked;
        }
        if (limits.containsKey("mem")) {
            double asked = limits.get("mem").getValue();
            mem = Double.isInfinite(asked) && asked > 0 ? 0 : asked;
        }
        if (cap < 0 || Double.isNaN(cap) || mem < 0 || Double.isNaN(mem)) {
            throw new IllegalArgumentException("impossible limits: cpus " + cap + ", mem " + mem);
        }
        double disk = scalar(task, "disk");
        if (disk < 0 || Double.isNaN(disk) || Double.isInfinite(disk)) {
            throw new IllegalArgumentException("impossible limits: disk " + disk);
        }
        return new Limits(cpus, cap, (long) (mem * (1 << 20)), pidsLimit, (long) (disk * (1 << 20)));
    }

    /**
     * An executor's container: the CPU share of the executor and the task it starts with, and the
     * pids limit. No memory limit: an executor's runtime (often a JVM) outgrows the few MB
     * frameworks give executors, and the container is not resized as tasks come and go.
     */
    public Limits forExecutor(ExecutorInfo executor, TaskInfo firstTask) {
        double cpus = scalar(executor.getResourcesList(), "cpus") + scalar(firstTask.getResourcesList(), "cpus");
        return new Limits(cpus, capCpus ? cpus : 0, 0, pidsLimit);
    }

    private static double scalar(TaskInfo task, String name) {
        return scalar(task.getResourcesList(), name);
    }

    private static double scalar(List<Resource> resources, String name) {
        return resources.stream()
                .filter(r -> r.getName().equals(name) && r.getType() == Value.Type.SCALAR)
                .mapToDouble(r -> r.getScalar().getValue()).sum();
    }

}
