package io.tandem.master;

import static io.tandem.master.Protobufs.agentId;
import static io.tandem.master.Protobufs.offerId;
import static io.tandem.master.Protobufs.task;
import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.model.AgentId;
import io.tandem.model.FrameworkId;
import io.tandem.model.OfferId;
import io.tandem.model.Resources;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus.Reason;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.junit.jupiter.api.Test;

class LaunchValidationTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final AgentId A1 = new AgentId("a1");
    private static final AgentId A2 = new AgentId("a2");

    private final Framework framework = framework("f1", Protobufs.framework("one"));
    private final Framework other = framework("f2", Protobufs.framework("two"));
    private final Offers offers = new Offers();
    private final Agents agents = new Agents();
    private final Tasks tasks = new Tasks();

    LaunchValidationTest() {
        agents.add(connected(A1));
        agents.add(connected(A2));
        offers.add(new Offer(new OfferId("o1"), framework.id(), A1, "*", Resources.parse("cpus:2;mem:1024"), NOW));
        offers.add(new Offer(new OfferId("o2"), framework.id(), A2, "*", Resources.parse("cpus:2;mem:1024"), NOW));
        offers.add(new Offer(new OfferId("o3"), other.id(), A1, "*", Resources.parse("cpus:1;mem:512"), NOW));
        offers.add(new Offer(new OfferId("o4"), framework.id(), A1, "*", Resources.parse("cpus:1;mem:512"), NOW));
    }

    private static Framework framework(String id, Protos.FrameworkInfo info) {
        Framework f = new Framework(new FrameworkId(id), info.toBuilder().setId(Protobufs.frameworkId(id)).build(), NOW);
        f.connect(f.info(), new RecordingSink<>(), "s-" + id, NOW, false);
        return f;
    }

    private static Agent connected(AgentId id) {
        Agent agent = new Agent(id, Protobufs.agentInfo("host-" + id, "cpus:4;mem:4096"), "192.0.2.1",
                Resources.parse("cpus:4;mem:4096"), NOW);
        agent.connect(agent.info(), agent.ip(), agent.total(), new RecordingSink<>(), "s", NOW, false);
        return agent;
    }

    private AcceptPlan decide(Framework who, Call call) {
        return LaunchValidation.decide(who, call.getAccept(), offers, agents, tasks);
    }

    private Call accept(List<String> offerIds, Protos.TaskInfo... taskInfos) {
        return Protobufs.accept(Protobufs.frameworkId("f1"), offerIds.stream().map(Protobufs::offerId).toList(), taskInfos);
    }

    @Test
    void validTasksLaunchAndTheRestReturnsWithTheDefaultFilter() {
        AcceptPlan plan = decide(framework, accept(List.of("o1"), task("t1", agentId("a1"), "cpus:1;mem:256")));

        assertThat(plan.rejections()).isEmpty();
        assertThat(plan.launches()).singleElement().satisfies(l -> {
            assertThat(l.task().getTaskId().getValue()).isEqualTo("t1");
            assertThat(l.resources()).isEqualTo(Resources.parse("cpus:1;mem:256"));
        });
        assertThat(plan.consumed()).extracting(Offer::id).containsExactly(new OfferId("o1"));
        assertThat(plan.returned()).singleElement().satisfies(r -> {
            assertThat(r.resources()).isEqualTo(Resources.parse("cpus:1;mem:768"));
            assertThat(r.refuseFor()).isEqualTo(Duration.ofSeconds(5));
        });
    }

    @Test
    void acceptWithoutOperationsDeclinesTheOffers() {
        Call call = accept(List.of("o1"));

        AcceptPlan plan = decide(framework, call);

        assertThat(plan.launches()).isEmpty();
        assertThat(plan.returned()).singleElement()
                .satisfies(r -> assertThat(r.resources()).isEqualTo(Resources.parse("cpus:2;mem:1024")));
    }

    @Test
    void unknownOfferDropsEveryTaskAndNamesTheOffer() {
        AcceptPlan plan = decide(framework, accept(List.of("o1", "nope"), task("t1", agentId("a1"), "cpus:1")));

        assertThat(plan.launches()).isEmpty();
        assertThat(plan.rejections()).singleElement().satisfies(r -> {
            assertThat(r.state()).isEqualTo(TaskState.TASK_LOST);
            assertThat(r.reason()).isEqualTo(Reason.REASON_INVALID_OFFERS);
            assertThat(r.message()).contains("Offer nope").contains("no longer valid");
        });
        // The framework's own valid offer is used up and returned without a filter.
        assertThat(plan.consumed()).extracting(Offer::id).containsExactly(new OfferId("o1"));
        assertThat(plan.returned()).singleElement().satisfies(r -> assertThat(r.refuseFor()).isZero());
    }

    @Test
    void partitionAwareFrameworksSeeInvalidOfferTasksDropped() {
        Framework aware = framework("f1", Protobufs.partitionAware(Protobufs.framework("one")));

        AcceptPlan plan = decide(aware, accept(List.of("nope"), task("t1", agentId("a1"), "cpus:1")));

        assertThat(plan.rejections()).singleElement()
                .satisfies(r -> assertThat(r.state()).isEqualTo(TaskState.TASK_DROPPED));
    }

    @Test
    void anotherFrameworksOfferIsRefusedAndLeftAlone() {
        AcceptPlan plan = decide(framework, accept(List.of("o3"), task("t1", agentId("a1"), "cpus:1")));

        assertThat(plan.rejections()).singleElement()
                .satisfies(r -> assertThat(r.message()).isEqualTo("Offer o3 was made to another framework"));
        assertThat(plan.consumed()).isEmpty();
        assertThat(plan.returned()).isEmpty();
    }

    @Test
    void offersOnTwoAgentsAreRefused() {
        AcceptPlan plan = decide(framework, accept(List.of("o1", "o2"), task("t1", agentId("a1"), "cpus:1")));

        assertThat(plan.rejections()).singleElement().satisfies(r -> assertThat(r.message())
                .contains("one agent").contains("o1").contains("a1").contains("o2").contains("a2"));
        assertThat(plan.returned()).extracting(AcceptPlan.Returned::agentId).containsExactly(A1, A2);
    }

    @Test
    void offersOnADisconnectedAgentAreRefused() {
        agents.get(A1).orElseThrow().streamBroke();

        AcceptPlan plan = decide(framework, accept(List.of("o1"), task("t1", agentId("a1"), "cpus:1")));

        assertThat(plan.rejections()).singleElement()
                .satisfies(r -> assertThat(r.message()).contains("not connected"));
    }

    @Test
    void tasksFitTogetherOrTheOneThatDoesNotIsInError() {
        AcceptPlan plan = decide(framework, accept(List.of("o1", "o4"),
                task("t1", agentId("a1"), "cpus:2;mem:1024"),
                task("t2", agentId("a1"), "cpus:1;mem:256"),
                task("t3", agentId("a1"), "cpus:1")));

        assertThat(plan.launches()).extracting(l -> l.task().getTaskId().getValue()).containsExactly("t1", "t2");
        assertThat(plan.rejections()).singleElement().satisfies(r -> {
            assertThat(r.task().getTaskId().getValue()).isEqualTo("t3");
            assertThat(r.state()).isEqualTo(TaskState.TASK_ERROR);
            assertThat(r.reason()).isEqualTo(Reason.REASON_TASK_INVALID);
            assertThat(r.message()).contains("needs more than is left").contains("'cpus:1'").contains("mem:256");
        });
    }

    @Test
    void negativeAndNanResourcesAreRefusedWithTheirName() {
        Protos.TaskInfo negative = task("t1", agentId("a1"), "mem:1").toBuilder().clearResources()
                .addResources(Protobufs.scalar("cpus", -1)).build();
        Protos.TaskInfo nan = task("t2", agentId("a1"), "mem:1").toBuilder().clearResources()
                .addResources(Protobufs.scalar("mem", Double.NaN)).build();

        AcceptPlan plan = decide(framework, accept(List.of("o1"), negative, nan));

        assertThat(plan.launches()).isEmpty();
        assertThat(plan.rejections()).extracting(AcceptPlan.Rejection::message).satisfiesExactly(
                m -> assertThat(m).contains("t1").contains("malformed resources").contains("cpus").contains("-1"),
                m -> assertThat(m).contains("t2").contains("mem").contains("NaN"));
    }

    @Test
    void aTaskWithoutResourcesIsRefusedAsMesosRefusesIt() {
        Protos.TaskInfo none = task("t1", agentId("a1"), "cpus:1").toBuilder().clearResources().build();

        AcceptPlan plan = decide(framework, accept(List.of("o1"), none));

        assertThat(plan.launches()).isEmpty();
        assertThat(plan.rejections()).singleElement().satisfies(r -> {
            assertThat(r.state()).isEqualTo(TaskState.TASK_ERROR);
            assertThat(r.reason()).isEqualTo(Reason.REASON_TASK_INVALID);
            assertThat(r.message()).isEqualTo("Task uses no resources");
        });
        assertThat(plan.returned().getFirst().resources()).isEqualTo(Resources.parse("cpus:2;mem:1024"));
    }

    @Test
    void anExecutorWithoutResourcesIsAllowedAsInMesos() {
        Protos.TaskInfo task = task("t1", agentId("a1"), "cpus:0.5").toBuilder().clearCommand()
                .setExecutor(executor("e1", "cpus:1").toBuilder().clearResources()).build();

        AcceptPlan plan = decide(framework, accept(List.of("o1"), task));

        assertThat(plan.rejections()).isEmpty();
        assertThat(plan.launches()).singleElement()
                .satisfies(l -> assertThat(l.executorResources()).isEqualTo(Resources.empty()));
    }

    @Test
    void duplicateTaskIdsAreRefused() {
        tasks.add(new Task(framework.id(), A1, "*", task("known", agentId("a1"), "cpus:1"), Resources.parse("cpus:1"),
                Protos.TaskStatus.newBuilder().setTaskId(Protobufs.taskId("known")).setState(TaskState.TASK_RUNNING)
                        .build()), Resources.empty());

        AcceptPlan plan = decide(framework, accept(List.of("o1"),
                task("known", agentId("a1"), "cpus:0.1"),
                task("twice", agentId("a1"), "cpus:0.1"),
                task("twice", agentId("a1"), "cpus:0.1")));

        assertThat(plan.launches()).extracting(l -> l.task().getTaskId().getValue()).containsExactly("twice");
        assertThat(plan.rejections()).extracting(AcceptPlan.Rejection::message).satisfiesExactly(
                m -> assertThat(m).isEqualTo("Task ID 'known' is already used by a task of this framework"),
                m -> assertThat(m).isEqualTo("Task ID 'twice' is used by another task in the same call"));
    }

    @Test
    void aTaskNeedsExactlyOneOfCommandAndExecutor() {
        Protos.TaskInfo neither = task("t1", agentId("a1"), "cpus:0.1").toBuilder().clearCommand().build();
        Protos.TaskInfo both = task("t2", agentId("a1"), "cpus:0.1").toBuilder()
                .setExecutor(executor("e1", "cpus:0.1")).build();

        AcceptPlan plan = decide(framework, accept(List.of("o1"), neither, both));

        assertThat(plan.rejections()).extracting(AcceptPlan.Rejection::message).containsExactly(
                "Task t1 must have exactly one of 'command' and 'executor', it has neither",
                "Task t2 must have exactly one of 'command' and 'executor', it has both");
    }

    @Test
    void aTaskMustNameTheOffersAgent() {
        AcceptPlan plan = decide(framework, accept(List.of("o1"), task("t1", agentId("a2"), "cpus:1")));

        assertThat(plan.rejections()).singleElement().satisfies(r -> assertThat(r.message())
                .isEqualTo("Task t1 names agent a2 but the offers are on agent a1"));
    }

    @Test
    void invalidTaskIdsAreRefused() {
        AcceptPlan plan = decide(framework, accept(List.of("o1"), task("a/b", agentId("a1"), "cpus:1"),
                task("..", agentId("a1"), "cpus:1")));

        assertThat(plan.rejections()).extracting(AcceptPlan.Rejection::message).satisfiesExactly(
                m -> assertThat(m).contains("'a/b'").contains("'/'"),
                m -> assertThat(m).contains("'..'"));
    }

    @Test
    void anExecutorsResourcesAreTakenOnceForTasksSharingIt() {
        Protos.TaskInfo first = task("t1", agentId("a1"), "cpus:0.5").toBuilder().clearCommand()
                .setExecutor(executor("e1", "cpus:0.5;mem:128")).build();
        Protos.TaskInfo second = task("t2", agentId("a1"), "cpus:0.5").toBuilder().clearCommand()
                .setExecutor(executor("e1", "cpus:0.5;mem:128")).build();

        AcceptPlan plan = decide(framework, accept(List.of("o1"), first, second));

        assertThat(plan.launches()).extracting(AcceptPlan.Launch::executorResources)
                .containsExactly(Resources.parse("cpus:0.5;mem:128"), Resources.empty());
        assertThat(plan.returned().getFirst().resources()).isEqualTo(Resources.parse("cpus:0.5;mem:896"));
    }

    @Test
    void anEnvironmentVariableWithoutAValueIsRefusedAsMesosRefusesIt() {
        Protos.TaskInfo unset = withEnvironment(task("t1", agentId("a1"), "cpus:0.1"),
                Protos.Environment.Variable.newBuilder().setName("HOST"));
        Protos.TaskInfo empty = withEnvironment(task("t2", agentId("a1"), "cpus:0.1"),
                Protos.Environment.Variable.newBuilder().setName("EMPTY").setValue(""));

        AcceptPlan plan = decide(framework, accept(List.of("o1"), unset, empty));

        assertThat(plan.rejections()).singleElement().satisfies(r -> {
            assertThat(r.task().getTaskId().getValue()).isEqualTo("t1");
            assertThat(r.state()).isEqualTo(TaskState.TASK_ERROR);
            assertThat(r.reason()).isEqualTo(Reason.REASON_TASK_INVALID);
            assertThat(r.message()).isEqualTo(
                    "Task's `CommandInfo` is invalid: Environment variable 'HOST' of type 'VALUE' must have a value set");
        });
        assertThat(plan.launches()).extracting(l -> l.task().getTaskId().getValue()).containsExactly("t2");
    }

    @Test
    void anExecutorsEnvironmentIsCheckedToo() {
        Protos.ExecutorInfo.Builder executor = executor("e1", "cpus:0.1").toBuilder();
        executor.getCommandBuilder().getEnvironmentBuilder().addVariables(
                Protos.Environment.Variable.newBuilder().setName("ENV_VAR_KEY"));
        Protos.TaskInfo task = task("t1", agentId("a1"), "cpus:0.1").toBuilder().clearCommand()
                .setExecutor(executor).build();

        AcceptPlan plan = decide(framework, accept(List.of("o1"), task));

        assertThat(plan.launches()).isEmpty();
        assertThat(plan.rejections()).singleElement().satisfies(r -> assertThat(r.message()).isEqualTo(
                "Executor's `CommandInfo` is invalid: Environment variable 'ENV_VAR_KEY' of type 'VALUE' must have a value set"));
    }

    @Test
    void secretAndUnknownEnvironmentVariablesAreCheckedAsMesosChecksThem() {
        var secretValue = Protos.Secret.newBuilder().setType(Protos.Secret.Type.VALUE)
                .setValue(Protos.Secret.Value.newBuilder().setData(com.google.protobuf.ByteString.copyFromUtf8("s3")));
        var secret = Protos.Environment.Variable.newBuilder().setName("S").setType(Protos.Environment.Variable.Type.SECRET);

        AcceptPlan plan = decide(framework, accept(List.of("o1"),
                withEnvironment(task("no-secret", agentId("a1"), "cpus:0.1"), secret.clone()),
                withEnvironment(task("both", agentId("a1"), "cpus:0.1"), secret.clone().setSecret(secretValue).setValue("v")),
                withEnvironment(task("bad-secret", agentId("a1"), "cpus:0.1"),
                        secret.clone().setSecret(Protos.Secret.newBuilder().setType(Protos.Secret.Type.VALUE))),
                withEnvironment(task("nul", agentId("a1"), "cpus:0.1"), secret.clone().setSecret(secretValue.clone()
                        .setValue(Protos.Secret.Value.newBuilder().setData(com.google.protobuf.ByteString.copyFrom(new byte[] {'a', 0}))))),
                withEnvironment(task("value-with-secret", agentId("a1"), "cpus:0.1"),
                        Protos.Environment.Variable.newBuilder().setName("V").setValue("v").setSecret(secretValue)),
                withEnvironment(task("unknown", agentId("a1"), "cpus:0.1"), Protos.Environment.Variable.newBuilder()
                        .setName("U").setValue("u").setType(Protos.Environment.Variable.Type.UNKNOWN)),
                withEnvironment(task("good-secret", agentId("a1"), "cpus:0.1"), secret.clone().setSecret(secretValue))));

        String prefix = "Task's `CommandInfo` is invalid: ";
        assertThat(plan.rejections()).extracting(AcceptPlan.Rejection::message).containsExactly(
                prefix + "Environment variable 'S' of type 'SECRET' must have a secret set",
                prefix + "Environment variable 'S' of type 'SECRET' must not have a value set",
                prefix + "Environment variable 'S' specifies an invalid secret: "
                        + "Secret of type VALUE must have the 'value' field set",
                prefix + "Environment variable 'S' specifies a secret containing null bytes, "
                        + "which is not allowed in the environment",
                prefix + "Environment variable 'V' of type 'VALUE' must not have a secret set",
                prefix + "Environment variable of type 'UNKNOWN' is not allowed");
        // Tandem's agents cannot resolve secrets and fail such a task themselves; the master accepts it, as Mesos does.
        assertThat(plan.launches()).extracting(l -> l.task().getTaskId().getValue()).containsExactly("good-secret");
    }

    private static Protos.TaskInfo withEnvironment(Protos.TaskInfo task, Protos.Environment.Variable.Builder variable) {
        Protos.TaskInfo.Builder builder = task.toBuilder();
        builder.getCommandBuilder().getEnvironmentBuilder().addVariables(variable);
        return builder.build();
    }

    @Test
    void refuseSecondsOfTheCallBecomeTheFilter() {
        Call call = accept(List.of("o1")).toBuilder().setAccept(accept(List.of("o1")).getAccept().toBuilder()
                .setFilters(Protos.Filters.newBuilder().setRefuseSeconds(30))).build();

        AcceptPlan plan = decide(framework, call);

        assertThat(plan.returned().getFirst().refuseFor()).isEqualTo(Duration.ofSeconds(30));
    }

    private static Protos.ExecutorInfo executor(String id, String resources) {
        return Protos.ExecutorInfo.newBuilder().setExecutorId(Protos.ExecutorID.newBuilder().setValue(id))
                .setCommand(Protos.CommandInfo.newBuilder().setValue("exec"))
                .addAllResources(io.tandem.api.ResourceMapping.toMesos(Resources.parse(resources), null)).build();
    }
}
