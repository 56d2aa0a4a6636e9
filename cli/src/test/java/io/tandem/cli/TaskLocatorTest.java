package io.tandem.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.AgentInfo;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.Task;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.master.Protos.Response;
import org.junit.jupiter.api.Test;

class TaskLocatorTest {
    private static Task task(String id, String framework, String agent, TaskState state) {
        return Task.newBuilder().setName(id).setTaskId(TaskID.newBuilder().setValue(id))
                .setFrameworkId(FrameworkID.newBuilder().setValue(framework))
                .setAgentId(AgentID.newBuilder().setValue(agent)).setState(state).buildPartial();
    }

    private static Response.GetAgents.Agent agent(String id, String pid) {
        return Response.GetAgents.Agent.newBuilder()
                .setAgentInfo(AgentInfo.newBuilder().setId(AgentID.newBuilder().setValue(id)).setHostname("node-" + id)
                        .setPort(5051))
                .setPid(pid).setActive(true).setVersion("1.11.0").buildPartial();
    }

    private static Response.GetState state(Response.GetTasks tasks, Response.GetAgents.Agent... agents) {
        Response.GetAgents.Builder all = Response.GetAgents.newBuilder();
        for (Response.GetAgents.Agent agent : agents) {
            all.addAgents(agent);
        }
        return Response.GetState.newBuilder().setGetTasks(tasks).setGetAgents(all.buildPartial()).buildPartial();
    }

    @Test
    void aCommandTaskIsFoundOnItsAgentByTheAgentsPid() {
        Response.GetState state = state(Response.GetTasks.newBuilder()
                .addCompletedTasks(task("t1", "fw", "a1", TaskState.TASK_FINISHED)).buildPartial(),
                agent("a1", "slave(1)@10.0.0.7:5051"));

        TaskLocator.Location location = TaskLocator.locate(state, "t1", null);

        assertThat(location.agentUrl()).isEqualTo(URI.create("http://10.0.0.7:5051"));
        assertThat(location.sandbox()).isEqualTo("/sandboxes/fw/t1");
        assertThat(location.terminal()).isTrue();
    }

    @Test
    void anExecutorsTaskIsReadInTheExecutorsSandbox() {
        Task onExecutor = task("t1", "fw", "a1", TaskState.TASK_RUNNING).toBuilder()
                .setExecutorId(ExecutorID.newBuilder().setValue("ex")).buildPartial();
        Response.GetState state = state(Response.GetTasks.newBuilder().addTasks(onExecutor).buildPartial(),
                agent("a1", ""));

        TaskLocator.Location location = TaskLocator.locate(state, "t1", "fw");

        assertThat(location.sandbox()).isEqualTo("/sandboxes/fw/executors/ex");
        assertThat(location.agentUrl()).isEqualTo(URI.create("http://node-a1:5051"));
        assertThat(location.terminal()).isFalse();
    }

    @Test
    void aRunningTaskIsPreferredToACompletedOneOfTheSameId() {
        Response.GetState state = state(Response.GetTasks.newBuilder()
                .addCompletedTasks(task("t1", "fw", "a1", TaskState.TASK_FAILED))
                .addTasks(task("t1", "fw", "a2", TaskState.TASK_RUNNING)).buildPartial(),
                agent("a1", "slave(1)@10.0.0.1:5051"), agent("a2", "slave(1)@10.0.0.2:5051"));

        assertThat(TaskLocator.locate(state, "t1", null).agentId()).isEqualTo("a2");
    }

    @Test
    void aTaskOnAnAgentTheMasterNoLongerListsIsExplained() {
        Response.GetState state = state(Response.GetTasks.newBuilder()
                .addCompletedTasks(task("t1", "fw", "gone", TaskState.TASK_FINISHED)).buildPartial());

        assertThatThrownBy(() -> TaskLocator.locate(state, "t1", null)).hasMessage("task t1 ran on agent gone, which"
                + " the master no longer lists (removed or unreachable), so its sandbox cannot be read");
        assertThatThrownBy(() -> TaskLocator.locate(state, "t1", "other"))
                .hasMessage("no task t1 of framework other in the cluster");
    }
}
