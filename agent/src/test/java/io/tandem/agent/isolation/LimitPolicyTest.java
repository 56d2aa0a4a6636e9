package io.tandem.agent.isolation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.Value;
import org.junit.jupiter.api.Test;

class LimitPolicyTest {
    private static TaskInfo task(double cpus, double mem) {
        return TaskInfo.newBuilder().setName("t").setTaskId(TaskID.newBuilder().setValue("t"))
                .setAgentId(AgentID.newBuilder().setValue("a"))
                .addResources(scalar("cpus", cpus)).addResources(scalar("mem", mem)).build();
    }

    private static Resource scalar(String name, double value) {
        return Resource.newBuilder().setName(name).setType(Value.Type.SCALAR)
                .setScalar(Value.Scalar.newBuilder().setValue(value)).build();
    }

    private static Value.Scalar limit(double value) {
        return Value.Scalar.newBuilder().setValue(value).build();
    }

    @Test
    void resourcesGiveShareAndMemoryLimitButNoCapByDefault() {
        Limits limits = new LimitPolicy(false, 100).forTask(task(1.5, 128));

        assertThat(limits).isEqualTo(new Limits(1.5, 0, 128L << 20, 100));
    }

    @Test
    void agentWideCapCapsEveryTaskAtItsCpus() {
        assertThat(new LimitPolicy(true, 0).forTask(task(0.5, 64)).cpuCap()).isEqualTo(0.5);
    }

    @Test
    void taskLimitsOverrideTheCapAndRaiseTheMemoryLimit() {
        TaskInfo task = task(0.5, 64).toBuilder().putLimits("cpus", limit(2)).putLimits("mem", limit(256)).build();

        Limits limits = new LimitPolicy(true, 0).forTask(task);

        assertThat(limits.cpuCap()).isEqualTo(2);
        assertThat(limits.memoryBytes()).isEqualTo(256L << 20);
    }

    @Test
    void infiniteTaskLimitMeansNone() {
        TaskInfo task = task(0.5, 64).toBuilder().putLimits("cpus", limit(Double.POSITIVE_INFINITY)).build();

        assertThat(new LimitPolicy(true, 0).forTask(task).cpuCap()).isZero();
    }

    @Test
    void tinyMemoryIsRaisedToTheFloor() {
        assertThat(LimitPolicy.none().forTask(task(0.1, 1)).memoryBytes()).isEqualTo(Limits.MIN_MEMORY_BYTES);
    }

    @Test
    void impossibleLimitIsRefused() {
        TaskInfo task = task(0.5, 64).toBuilder().putLimits("cpus", limit(-1)).build();

        assertThatThrownBy(() -> LimitPolicy.none().forTask(task)).hasMessageContaining("impossible limits");
    }
}
