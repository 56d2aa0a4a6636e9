package io.tandem.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.OfferID;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.Protos.TaskStatus.Reason;
import org.apache.mesos.v1.master.Protos.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Launches the real master must refuse, each task with a status that says why. A bystander
 * framework runs a task on the same agent throughout; it must never notice.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadLaunchTest {
    private static final TaskID BYSTANDER_TASK = Tasks.id("bystander-sleep");

    private InProcessCluster cluster;
    private RunningFramework bystander;
    private Map<String, List<Resource>> totalsBefore;
    private final List<RunningFramework> frameworks = new ArrayList<>();

    @BeforeAll
    void startClusterWithABystander() {
        cluster = InProcessCluster.builder().agents(1).start();
        RecordingScheduler scheduler = new RecordingScheduler(OfferStrategy.decline(Duration.ofMillis(500)));
        scheduler.launch(Tasks.shell(BYSTANDER_TASK.getValue(), "sleep 600"));
        bystander = RunningFramework.start(cluster.masterUrl(), RunningFramework.info("bystander"), scheduler);
        scheduler.awaitState(BYSTANDER_TASK, TaskState.TASK_RUNNING);
        totalsBefore = agentTotals();
    }

    @AfterEach
    void bystanderIsUnaffected() {
        frameworks.forEach(RunningFramework::close);
        frameworks.clear();
        bystander.sync();
        assertThat(bystander.scheduler().states(BYSTANDER_TASK)).last().isEqualTo(TaskState.TASK_RUNNING);
        assertThat(cluster.operator().task(bystander.id(), BYSTANDER_TASK).getState()).isEqualTo(TaskState.TASK_RUNNING);
        assertThat(agentTotals()).isEqualTo(totalsBefore);
    }

    @AfterAll
    void stopCluster() {
        bystander.close();
        cluster.close();
    }

    private Map<String, List<Resource>> agentTotals() {
        return cluster.operator().state().getGetAgents().getAgentsList().stream().collect(Collectors.toMap(
                a -> a.getAgentInfo().getId().getValue(), Response.GetAgents.Agent::getTotalResourcesList));
    }

    /** A framework that keeps its offers, so the test decides what to do with them. */
    private RunningFramework holder(FrameworkInfo info) {
        RunningFramework framework = RunningFramework.start(cluster.masterUrl(), info,
                new RecordingScheduler(OfferStrategy.hold()));
        frameworks.add(framework);
        return framework;
    }

    /** ACCEPT with a LAUNCH of {@code tasks}, returning what the tasks leave with no refuse filter. */
    private static void launch(RunningFramework fw, OfferID offer, TaskInfo... tasks) {
        RunningFramework.join(fw.driver().accept(List.of(offer), List.of(Tasks.launch(List.of(tasks))),
                OfferStrategy.refuseFilter(Duration.ZERO)));
    }

    private static Offer firstOffer(RunningFramework fw) {
        return fw.scheduler().awaitOffer(0, o -> true, "to " + fw.id().getValue()).value();
    }

    /** The agent's free resources come back whole to the framework: the refused task holds nothing. */
    private static void assertOfferedAgainInFull(RunningFramework fw, int after) {
        Offer again = fw.scheduler().awaitOffer(after, o -> true, "after the refusal").value();
        double cpus = again.getResourcesList().stream().filter(r -> r.getName().equals("cpus"))
                .mapToDouble(r -> r.getScalar().getValue()).sum();
        assertThat(cpus).isEqualTo(2.0 - 0.1); // all but the bystander's task
    }

    @Test
    void unknownOfferIdDropsTheTaskForAPartitionAwareFramework() {
        RunningFramework fw = holder(RunningFramework.partitionAwareInfo("unknown-offer-aware"));
        TaskInfo task = Tasks.shell("lost-1", "true").on(firstOffer(fw));

        launch(fw, OfferID.newBuilder().setValue("no-such-offer").build(), task);

        TaskStatus dropped = fw.scheduler().awaitStatus(task.getTaskId(), s -> true, "any answer");
        assertThat(dropped.getState()).isEqualTo(TaskState.TASK_DROPPED);
        assertThat(dropped.getReason()).isEqualTo(Reason.REASON_INVALID_OFFERS);
    }

    @Test
    void unknownOfferIdLosesTheTaskForAFrameworkThatIsNotPartitionAware() {
        RunningFramework fw = holder(RunningFramework.info("unknown-offer"));
        TaskInfo task = Tasks.shell("lost-2", "true").on(firstOffer(fw));

        launch(fw, OfferID.newBuilder().setValue("no-such-offer").build(), task);

        TaskStatus lost = fw.scheduler().awaitStatus(task.getTaskId(), s -> true, "any answer");
        assertThat(lost.getState()).isEqualTo(TaskState.TASK_LOST);
        assertThat(lost.getReason()).isEqualTo(Reason.REASON_INVALID_OFFERS);
    }

    @Test
    void taskLargerThanItsOfferIsAnErrorNamingTheResource() {
        RunningFramework fw = holder(RunningFramework.info("too-big"));
        Offer offer = firstOffer(fw);
        int offersSoFar = fw.scheduler().offers().size();
        TaskInfo task = Tasks.shell("huge", "true").cpus(100).unchecked(offer);

        launch(fw, offer.getId(), task);

        TaskStatus error = fw.scheduler().awaitStatus(task.getTaskId(), s -> true, "any answer");
        assertThat(error.getState()).isEqualTo(TaskState.TASK_ERROR);
        assertThat(error.getReason()).isEqualTo(Reason.REASON_TASK_INVALID);
        assertThat(error.getMessage()).contains("cpus").contains("100");
        assertOfferedAgainInFull(fw, offersSoFar);
    }

    @Test
    void duplicateTaskIdIsAnErrorAndTheFirstTaskKeepsRunning() {
        RunningFramework fw = holder(RunningFramework.info("duplicates"));
        TaskID id = Tasks.id("dup");
        Offer first = firstOffer(fw);
        launch(fw, first.getId(), Tasks.shell("dup", "sleep 600").on(first));
        fw.scheduler().awaitState(id, TaskState.TASK_RUNNING);
        Offer second = fw.scheduler().awaitOffer(1, o -> true, "after the first launch").value();

        launch(fw, second.getId(), Tasks.shell("dup", "true").on(second));

        TaskStatus error = fw.scheduler().awaitState(id, TaskState.TASK_ERROR);
        assertThat(error.getMessage()).contains("already used");
        fw.sync();
        assertThat(cluster.operator().task(fw.id(), id).getState()).isEqualTo(TaskState.TASK_RUNNING);
    }

    @Test
    void taskWithNeitherCommandNorExecutorIsAnError() {
        RunningFramework fw = holder(RunningFramework.info("no-command"));
        Offer offer = firstOffer(fw);
        int offersSoFar = fw.scheduler().offers().size();
        TaskInfo task = Tasks.shell("nothing-to-run", "true").on(offer).toBuilder().clearCommand().build();

        launch(fw, offer.getId(), task);

        TaskStatus error = fw.scheduler().awaitStatus(task.getTaskId(), s -> true, "any answer");
        assertThat(error.getState()).isEqualTo(TaskState.TASK_ERROR);
        assertThat(error.getMessage()).contains("neither");
        assertOfferedAgainInFull(fw, offersSoFar);
    }
}
