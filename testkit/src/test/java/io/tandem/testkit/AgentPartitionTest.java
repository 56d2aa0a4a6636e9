package io.tandem.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.Task;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * An agent cut off from the master (its reports stop, its tasks keep running) is marked
 * unreachable after the agent timeout, and its tasks come back when it returns.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AgentPartitionTest {
    private static final Duration AGENT_TIMEOUT = Duration.ofSeconds(2);

    private InProcessCluster cluster;
    private FrameworkPool frameworks;

    @BeforeAll
    void startCluster() {
        cluster = InProcessCluster.builder().agents(1).partitionable()
                .masterConfig(c -> c.withAgentTimeouts(Duration.ofMillis(200), AGENT_TIMEOUT))
                .start();
        frameworks = new FrameworkPool(cluster);
    }

    @AfterEach
    void stopFrameworks() {
        cluster.healAgent(0);
        frameworks.closeAll();
    }

    @AfterAll
    void stopCluster() {
        cluster.close();
    }

    private RunningFramework start(FrameworkInfo info, TaskSpec... tasks) {
        return frameworks.start(info, tasks);
    }

    @Test
    void tasksOfAPartitionedAgentBecomeUnreachableThenRunningWhenItReturns() {
        TaskID awareTask = Tasks.id("aware-sleep");
        TaskID plainTask = Tasks.id("plain-sleep");
        RunningFramework aware = start(RunningFramework.partitionAwareInfo("aware"),
                Tasks.shell(awareTask.getValue(), "sleep 600"));
        RunningFramework plain = start(RunningFramework.info("plain"), Tasks.shell(plainTask.getValue(), "sleep 600"));
        aware.scheduler().awaitState(awareTask, TaskState.TASK_RUNNING);
        plain.scheduler().awaitState(plainTask, TaskState.TASK_RUNNING);
        AgentID agent = cluster.agentId(0);

        cluster.partitionAgent(0);

        TaskStatus unreachable = aware.scheduler().awaitState(awareTask, TaskState.TASK_UNREACHABLE);
        assertThat(unreachable.hasUnreachableTime()).isTrue();
        plain.scheduler().awaitState(plainTask, TaskState.TASK_LOST);
        await("agent lost reported").atMost(RecordingScheduler.PATIENCE)
                .until(() -> aware.scheduler().failures().stream()
                        .anyMatch(f -> f.agentId().equals(agent) && f.executorId() == null));
        assertThat(cluster.operator().agents().getAgentsList()).isEmpty();
        assertThat(cluster.operator().tasks().getUnreachableTasksList()).extracting(Task::getTaskId)
                .contains(awareTask);

        cluster.healAgent(0);

        aware.scheduler().awaitStatus(awareTask, s -> s.getState() == TaskState.TASK_RUNNING
                && aware.scheduler().statuses(awareTask).indexOf(s)
                        > aware.scheduler().statuses(awareTask).indexOf(unreachable), "running again");
        await("agent registered again").atMost(RecordingScheduler.PATIENCE)
                .until(() -> cluster.operator().agents().getAgentsCount() == 1);
        assertThat(cluster.operator().task(aware.id(), awareTask).getState()).isEqualTo(TaskState.TASK_RUNNING);
    }
}
