package io.tandem.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.AgentInfo;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.Task;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.Value;
import org.apache.mesos.v1.master.Protos.Response;
import org.junit.jupiter.api.Test;

class StateReportTest {

    static Resource scalar(String name, double amount) {
        return Resource.newBuilder().setName(name).setType(Value.Type.SCALAR)
                .setScalar(Value.Scalar.newBuilder().setValue(amount)).build();
    }

    static Task task(String id, TaskState state) {
        return Task.newBuilder().setName(id).setTaskId(TaskID.newBuilder().setValue(id))
                .setFrameworkId(FrameworkID.newBuilder().setValue("fw-1"))
                .setAgentId(AgentID.newBuilder().setValue("a-1")).setState(state).build();
    }

    static Response.GetState state() {
        return Response.GetState.newBuilder()
                .setGetAgents(Response.GetAgents.newBuilder().addAgents(Response.GetAgents.Agent.newBuilder()
                        .setAgentInfo(AgentInfo.newBuilder().setHostname("127.0.0.1").setPort(5051)
                                .setId(AgentID.newBuilder().setValue("a-1")))
                        .setActive(true).setVersion("1.11.0").setPid("slave(1)@127.0.0.1:5051")
                        .addTotalResources(scalar("cpus", 4)).addTotalResources(scalar("mem", 8192))
                        .addTotalResources(scalar("disk", 20000))
                        .addAllocatedResources(scalar("cpus", 0.1)).addAllocatedResources(scalar("cpus", 0.2))
                        .addAllocatedResources(scalar("mem", 64))))
                .setGetFrameworks(Response.GetFrameworks.newBuilder().addFrameworks(
                        Response.GetFrameworks.Framework.newBuilder().setActive(true).setConnected(true)
                                .setRecovered(false).setFrameworkInfo(FrameworkInfo.newBuilder().setUser("u")
                                        .setName("hello").addRoles("*").setId(FrameworkID.newBuilder().setValue("fw-1")))))
                .setGetTasks(Response.GetTasks.newBuilder()
                        .addTasks(task("hello-0", TaskState.TASK_RUNNING))
                        .addCompletedTasks(task("hello-1", TaskState.TASK_FINISHED)))
                .build();
    }

    @Test
    void showsAgentsFrameworksAndTasksAsTables() {
        assertThat(StateReport.render(state())).isEqualTo("""
                AGENTS
                ID   HOST            ACTIVE  CPUS (USED/TOTAL)  MEM MB   DISK MB
                a-1  127.0.0.1:5051  yes     0.3/4              64/8192  0/20000

                FRAMEWORKS
                ID    NAME   ROLES  ACTIVE  TASKS
                fw-1  hello  *      yes     1

                TASKS
                ID       FRAMEWORK  AGENT           STATE
                hello-0  hello (1)  127.0.0.1:5051  TASK_RUNNING
                hello-1  hello (1)  127.0.0.1:5051  TASK_FINISHED
                """);
    }

    @Test
    void tellsApartTasksOfTwoRunsWithOneNameOnTwoAgentsOfOneHost() {
        Response.GetState.Builder state = Response.GetState.newBuilder();
        for (int i = 1; i <= 2; i++) {
            String agentId = "3f1c-S" + i;
            String frameworkId = "3f1c-a7b2-000" + i;
            state.getGetAgentsBuilder().addAgents(Response.GetAgents.Agent.newBuilder().setActive(true).setVersion("1.11.0")
                    .setAgentInfo(AgentInfo.newBuilder().setHostname("node7").setPort(5050 + i)
                            .setId(AgentID.newBuilder().setValue(agentId))));
            state.getGetFrameworksBuilder().addFrameworks(Response.GetFrameworks.Framework.newBuilder()
                    .setActive(true).setConnected(true).setRecovered(false)
                    .setFrameworkInfo(FrameworkInfo.newBuilder().setUser("u").setName("tandem-run")
                            .setId(FrameworkID.newBuilder().setValue(frameworkId))));
            state.getGetTasksBuilder().addTasks(Task.newBuilder().setName("tandem-run-0")
                    .setTaskId(TaskID.newBuilder().setValue("tandem-run-0"))
                    .setFrameworkId(FrameworkID.newBuilder().setValue(frameworkId))
                    .setAgentId(AgentID.newBuilder().setValue(agentId)).setState(TaskState.TASK_RUNNING));
        }

        assertThat(StateReport.tasks(state.build())).isEqualTo("""
                TASKS
                ID            FRAMEWORK          AGENT       STATE
                tandem-run-0  tandem-run (0001)  node7:5051  TASK_RUNNING
                tandem-run-0  tandem-run (0002)  node7:5052  TASK_RUNNING
                """);
    }

    @Test
    void showsTheIdsOfAnAgentAndAFrameworkTheStateNoLongerNames() {
        Response.GetState state = Response.GetState.newBuilder().setGetTasks(Response.GetTasks.newBuilder()
                .addCompletedTasks(task("old-0", TaskState.TASK_FINISHED))).build();

        assertThat(StateReport.tasks(state)).contains("old-0  fw-1       a-1    TASK_FINISHED");
    }

    @Test
    void anEmptyClusterSaysNone() {
        assertThat(StateReport.render(Response.GetState.getDefaultInstance()))
                .isEqualTo("AGENTS\n(none)\n\nFRAMEWORKS\n(none)\n\nTASKS\n(none)\n");
    }
}
