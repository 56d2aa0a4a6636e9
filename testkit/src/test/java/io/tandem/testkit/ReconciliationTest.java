package io.tandem.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.Protos.TaskStatus.Reason;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** RECONCILE against a real master, answered as Mesos's reconciliation document says. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReconciliationTest {
    private InProcessCluster cluster;
    private FrameworkPool frameworks;

    @BeforeAll
    void startCluster() {
        cluster = InProcessCluster.builder().agents(1).start();
        frameworks = new FrameworkPool(cluster);
    }

    @AfterEach
    void stopFrameworks() {
        frameworks.closeAll();
    }

    @AfterAll
    void stopCluster() {
        cluster.close();
    }

    private RunningFramework framework(FrameworkInfo info, TaskSpec... tasks) {
        return frameworks.start(info, tasks);
    }

    /**
     * The first reconciliation answer for {@code taskId} after position {@code from} of the recorded
     * updates (a status update the agent resends meanwhile is not one).
     */
    private static TaskStatus answerAfter(RunningFramework fw, int from, TaskID taskId) {
        return fw.scheduler().awaitStatus(taskId, s -> s.getReason() == Reason.REASON_RECONCILIATION
                && fw.scheduler().updates().indexOf(s) >= from, "reconciliation answer");
    }

    private static TaskStatus unknownTask(String id, AgentID agent) {
        TaskStatus.Builder status = TaskStatus.newBuilder().setTaskId(Tasks.id(id)).setState(TaskState.TASK_RUNNING);
        if (agent != null) {
            status.setAgentId(agent);
        }
        return status.build();
    }

    @Test
    void implicitReconciliationReturnsEveryRunningTask() {
        RunningFramework fw = framework(RunningFramework.info("implicit"),
                Tasks.shell("long-1", "sleep 600"), Tasks.shell("long-2", "sleep 600"));
        fw.scheduler().awaitState(Tasks.id("long-1"), TaskState.TASK_RUNNING);
        fw.scheduler().awaitState(Tasks.id("long-2"), TaskState.TASK_RUNNING);
        int before = fw.scheduler().updates().size();

        RunningFramework.join(fw.driver().reconcile(List.of()));

        for (String id : List.of("long-1", "long-2")) {
            TaskStatus answer = answerAfter(fw, before, Tasks.id(id));
            assertThat(answer.getState()).isEqualTo(TaskState.TASK_RUNNING);
            assertThat(answer.hasUuid()).as("reconciliation answers need no acknowledgement").isFalse();
        }
    }

    @Test
    void explicitReconciliationOfAnUnknownTaskOnAKnownAgentAnswersGone() {
        RunningFramework fw = framework(RunningFramework.partitionAwareInfo("explicit-gone"));

        RunningFramework.join(fw.driver().reconcile(List.of(unknownTask("never-launched", cluster.agentId(0)))));

        TaskStatus answer = fw.scheduler().awaitStatus(Tasks.id("never-launched"), s -> true, "any answer");
        assertThat(answer.getState()).isEqualTo(TaskState.TASK_GONE);
        assertThat(answer.getReason()).isEqualTo(Reason.REASON_RECONCILIATION);
    }

    @Test
    void explicitReconciliationOfAnUnknownTaskOnAnUnknownAgentAnswersUnknown() {
        RunningFramework fw = framework(RunningFramework.partitionAwareInfo("explicit-unknown"));

        RunningFramework.join(fw.driver().reconcile(List.of(
                unknownTask("nowhere", AgentID.newBuilder().setValue("no-such-agent").build()))));

        TaskStatus answer = fw.scheduler().awaitStatus(Tasks.id("nowhere"), s -> true, "any answer");
        assertThat(answer.getState()).isEqualTo(TaskState.TASK_UNKNOWN);
        assertThat(answer.getReason()).isEqualTo(Reason.REASON_RECONCILIATION);
    }

    @Test
    void explicitReconciliationOfAnUnknownTaskAnswersLostToAFrameworkThatIsNotPartitionAware() {
        RunningFramework fw = framework(RunningFramework.info("explicit-lost"));

        RunningFramework.join(fw.driver().reconcile(List.of(unknownTask("ghost", cluster.agentId(0)))));

        TaskStatus answer = fw.scheduler().awaitStatus(Tasks.id("ghost"), s -> true, "any answer");
        assertThat(answer.getState()).isEqualTo(TaskState.TASK_LOST);
        assertThat(answer.getReason()).isEqualTo(Reason.REASON_RECONCILIATION);
    }
}
