package io.tandem.master;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.model.AgentId;
import io.tandem.model.FrameworkId;
import io.tandem.model.Resources;
import org.apache.mesos.v1.Protos;
import org.junit.jupiter.api.Test;

class TasksTest {
    private static final FrameworkId FW = new FrameworkId("f1");
    private static final AgentId AGENT = new AgentId("a1");

    private final Tasks tasks = new Tasks();

    private static Task task(String id, String executor) {
        Protos.TaskInfo info = Protobufs.task(id, Protobufs.agentId("a1"), "cpus:1");
        if (executor != null) {
            info = info.toBuilder().clearCommand().setExecutor(Protos.ExecutorInfo.newBuilder()
                    .setExecutorId(Protos.ExecutorID.newBuilder().setValue(executor))).build();
        }
        return new Task(FW, AGENT, "*", info, Resources.parse("cpus:1"), Protos.TaskStatus.newBuilder()
                .setTaskId(info.getTaskId()).setState(Protos.TaskState.TASK_RUNNING).build());
    }

    @Test
    void anExecutorsResourcesComeBackWithItsLastTask() {
        Task first = task("t1", "e1");
        Task second = task("t2", "e1");
        tasks.add(first, Resources.parse("mem:64"));
        tasks.add(second, Resources.empty());

        assertThat(tasks.release(first)).isEqualTo(Resources.parse("cpus:1"));
        assertThat(tasks.executorRunning(FW, AGENT, new io.tandem.model.ExecutorId("e1"))).isTrue();
        assertThat(tasks.release(second)).isEqualTo(Resources.parse("cpus:1;mem:64"));
        assertThat(tasks.executorRunning(FW, AGENT, new io.tandem.model.ExecutorId("e1"))).isFalse();
    }

    @Test
    void anExecutorThatExitsGivesItsResourcesBackAtOnceAndItsTasksOnlyTheirOwn() {
        Task task = task("t1", "e1");
        tasks.add(task, Resources.parse("mem:64"));
        io.tandem.model.ExecutorId e1 = new io.tandem.model.ExecutorId("e1");

        assertThat(tasks.executorExited(FW, AGENT, e1)).hasValueSatisfying(held -> {
            assertThat(held.role()).isEqualTo("*");
            assertThat(held.resources()).isEqualTo(Resources.parse("mem:64"));
        });
        assertThat(tasks.executorRunning(FW, AGENT, e1)).isFalse();
        assertThat(tasks.executorExited(FW, AGENT, e1)).isEmpty();
        assertThat(tasks.release(task)).isEqualTo(Resources.parse("cpus:1"));
    }

    @Test
    void resourcesAreReleasedOnlyOnce() {
        Task t = task("t1", null);
        tasks.add(t, Resources.empty());

        assertThat(tasks.release(t)).isEqualTo(Resources.parse("cpus:1"));
        assertThat(tasks.release(t)).isEqualTo(Resources.empty());
    }

    @Test
    void whatTasksHoldOnAnAgentIsSummedPerFrameworkAndRole() {
        tasks.add(task("t1", "e1"), Resources.parse("mem:64"));
        tasks.add(task("t2", null), Resources.empty());
        Task done = task("t3", null);
        tasks.add(done, Resources.empty());
        tasks.release(done);

        assertThat(tasks.heldOn(AGENT)).singleElement().satisfies(h -> {
            assertThat(h.frameworkId()).isEqualTo(FW);
            assertThat(h.role()).isEqualTo("*");
            assertThat(h.resources()).isEqualTo(Resources.parse("cpus:2;mem:64"));
        });
    }

    @Test
    void completedTasksLeaveTheActiveSet() {
        Task t = task("t1", null);
        tasks.add(t, Resources.empty());

        tasks.complete(t);

        assertThat(tasks.all()).isEmpty();
        assertThat(tasks.contains(FW, t.id())).isFalse();
        assertThat(tasks.completed()).containsExactly(t);
    }
}
