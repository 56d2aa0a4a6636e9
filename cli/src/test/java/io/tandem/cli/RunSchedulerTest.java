package io.tandem.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.sdk.ResourceNeeds;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.OfferID;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.Protos.Value;
import org.junit.jupiter.api.Test;

class RunSchedulerTest {
    private final StringWriter printed = new StringWriter();
    private final StringWriter warned = new StringWriter();
    private final RunFakeCalls driver = new RunFakeCalls();
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");

    private RunScheduler scheduler(int instances) {
        return scheduler(instances, ResourceNeeds.of(0.5, 64));
    }

    private RunScheduler scheduler(int instances, ResourceNeeds needs) {
        RunSpec spec = new RunSpec("run", instances, needs, RunSpec.command(List.of("echo hi"), true, Map.of()), null);
        return new RunScheduler(spec, new PrintWriter(printed, true), new PrintWriter(warned, true), () -> now);
    }

    private static Offer offer(String id, String host, double cpus, double mem) {
        return Offer.newBuilder().setId(OfferID.newBuilder().setValue(id))
                .setFrameworkId(FrameworkID.newBuilder().setValue("fw-1"))
                .setAgentId(AgentID.newBuilder().setValue("agent-" + host)).setHostname(host)
                .addResources(scalar("cpus", cpus)).addResources(scalar("mem", mem)).build();
    }

    private static Resource scalar(String name, double amount) {
        return Resource.newBuilder().setName(name).setType(Value.Type.SCALAR)
                .setScalar(Value.Scalar.newBuilder().setValue(amount)).build();
    }

    private static TaskStatus status(String taskId, TaskState state, String message) {
        return TaskStatus.newBuilder().setTaskId(TaskID.newBuilder().setValue(taskId)).setState(state)
                .setMessage(message).build();
    }

    private List<String> lines() {
        return printed.toString().lines().toList();
    }

    @Test
    void launchesAsManyInstancesPerOfferAsFitAndSuppressesOnceAllAreLaunched() {
        RunScheduler scheduler = scheduler(3);

        scheduler.offers(driver, List.of(offer("o-1", "h1", 1, 256)));
        scheduler.offers(driver, List.of(offer("o-2", "h2", 4, 4096)));

        assertThat(driver.calls).containsExactly("launch o-1 run-0,run-1", "launch o-2 run-2", "suppress");
        assertThat(driver.launched.getFirst().getResourcesList()).containsExactly(scalar("cpus", 0.5), scalar("mem", 64));
        assertThat(driver.launched.getFirst().getAgentId().getValue()).isEqualTo("agent-h1");
    }

    private static final FrameworkID FRAMEWORK = FrameworkID.newBuilder().setValue("fw-1").build();

    @Test
    void declaresEveryInstanceAsDemandOnceSubscribed() {
        RunScheduler scheduler = scheduler(3);

        scheduler.subscribed(driver, FRAMEWORK, null);

        assertThat(driver.calls).containsExactly("request 3 x cpus:0.5;mem:64.0");
    }

    @Test
    void declaresTheRemainingCountAsTasksLaunchAndWithdrawsItWhenAllAreLaunched() {
        RunScheduler scheduler = scheduler(3);
        scheduler.subscribed(driver, FRAMEWORK, null);

        scheduler.offers(driver, List.of(offer("o-1", "h1", 1, 256)));
        scheduler.offers(driver, List.of(offer("o-2", "h2", 0.1, 256)));
        scheduler.offers(driver, List.of(offer("o-3", "h2", 4, 4096)));

        assertThat(driver.calls).containsExactly("request 3 x cpus:0.5;mem:64.0",
                "launch o-1 run-0,run-1", "request 1 x cpus:0.5;mem:64.0",
                "decline o-2 for 5.0s",
                "launch o-3 run-2", "request 0", "suppress");
    }

    @Test
    void declaresAgainBeforeDecliningWhenAFailedLaunchComesBack() {
        RunScheduler scheduler = scheduler(1);
        scheduler.subscribed(driver, FRAMEWORK, null);
        driver.launchFailure = new IllegalStateException("ACCEPT not sent: the driver is not subscribed");
        scheduler.offers(driver, List.of(offer("o-1", "h1", 1, 256)));
        driver.launchFailure = null;

        scheduler.offers(driver, List.of(offer("o-2", "h2", 0.1, 256)));

        assertThat(driver.calls).containsExactly("request 1 x cpus:0.5;mem:64.0", "launch o-1 run-0", "revive",
                "request 0", "suppress", "request 1 x cpus:0.5;mem:64.0", "decline o-2 for 5.0s");
    }

    @Test
    void declaresAgainAfterResubscribingSinceTheMasterMayBeNew() {
        RunScheduler scheduler = scheduler(2);
        scheduler.subscribed(driver, FRAMEWORK, null);
        scheduler.offers(driver, List.of(offer("o-1", "h1", 0.5, 64)));

        scheduler.subscribed(driver, FRAMEWORK, null);

        assertThat(driver.calls).containsExactly("request 2 x cpus:0.5;mem:64.0", "launch o-1 run-0",
                "request 1 x cpus:0.5;mem:64.0", "request 1 x cpus:0.5;mem:64.0");
    }

    @Test
    void aRefusedDeclarationIsToldOnceAndTheRunGoesOnWithOffers() {
        RunScheduler scheduler = scheduler(2);
        driver.requestFailure = new IllegalStateException("a task shape needs at least 0.01 cpus");
        scheduler.subscribed(driver, FRAMEWORK, null);

        scheduler.offers(driver, List.of(offer("o-1", "h1", 0.5, 64)));
        scheduler.offers(driver, List.of(offer("o-2", "h1", 0.5, 64)));

        assertThat(driver.calls).contains("launch o-1 run-0", "launch o-2 run-1");
        assertThat(warned.toString().lines()).containsExactly(
                "tandem run: demand not declared (offers still come): a task shape needs at least 0.01 cpus");
    }

    @Test
    void declinesOffersThatFitNothingWithAShortFilter() {
        RunScheduler scheduler = scheduler(1);

        scheduler.offers(driver, List.of(offer("o-1", "h1", 0.1, 1024), offer("o-2", "h2", 1, 1024)));

        assertThat(driver.calls).containsExactly("launch o-2 run-0", "decline o-1 for 5.0s", "suppress");
    }

    @Test
    void printsEachStateChangeOnceWithTheHostAndMessage() {
        RunScheduler scheduler = scheduler(1);
        scheduler.offers(driver, List.of(offer("o-1", "h1", 1, 128)));

        scheduler.update(driver, status("run-0", TaskState.TASK_RUNNING, ""));
        scheduler.update(driver, status("run-0", TaskState.TASK_RUNNING, "health check"));
        scheduler.update(driver, status("run-0", TaskState.TASK_FAILED, "Command exited with status 3"));

        assertThat(lines()).containsExactly("run-0  TASK_RUNNING  on h1",
                "run-0  TASK_FAILED  on h1  Command exited with status 3");
    }

    @Test
    void finishesSuccessfullyWhenEveryInstanceFinished() {
        RunScheduler scheduler = scheduler(2);
        scheduler.offers(driver, List.of(offer("o-1", "h1", 1, 128)));

        scheduler.update(driver, status("run-0", TaskState.TASK_FINISHED, ""));
        assertThat(scheduler.finished()).isNotDone();
        scheduler.update(driver, status("run-1", TaskState.TASK_FINISHED, ""));

        assertThat(scheduler.finished().join().exitCode()).isZero();
    }

    @Test
    void namesEachInstanceThatDidNotFinishAndWhy() {
        RunScheduler scheduler = scheduler(3);
        scheduler.offers(driver, List.of(offer("o-1", "h1", 2, 256)));

        scheduler.update(driver, status("run-0", TaskState.TASK_FINISHED, ""));
        scheduler.update(driver, status("run-1", TaskState.TASK_FAILED, "Command exited with status 3"));
        scheduler.update(driver, TaskStatus.newBuilder().setTaskId(TaskID.newBuilder().setValue("run-2"))
                .setState(TaskState.TASK_LOST).setReason(TaskStatus.Reason.REASON_AGENT_REMOVED).build());

        RunOutcome outcome = scheduler.finished().join();
        assertThat(outcome.exitCode()).isEqualTo(1);
        assertThat(outcome.failures()).containsExactly("run-1 failed: Command exited with status 3",
                "run-2 failed: TASK_LOST (REASON_AGENT_REMOVED)");
    }

    @Test
    void killAllKillsWhatRunsAndEndsWhenTheKillsAreReported() {
        RunScheduler scheduler = scheduler(3);
        scheduler.offers(driver, List.of(offer("o-1", "h1", 1, 256)));   // run-0 and run-1 fit; run-2 waits
        scheduler.update(driver, status("run-0", TaskState.TASK_RUNNING, ""));

        scheduler.killAll(driver);
        scheduler.offers(driver, List.of(offer("o-2", "h2", 4, 4096)));

        assertThat(driver.calls).contains("kill run-0 on agent-h1", "kill run-1 on agent-h1", "decline o-2 for 5.0s");
        assertThat(driver.calls).noneMatch(call -> call.contains("run-2"));
        assertThat(scheduler.finished()).isNotDone();
        scheduler.update(driver, status("run-0", TaskState.TASK_KILLED, "Command terminated with signal Terminated"));
        scheduler.update(driver, status("run-1", TaskState.TASK_KILLED, ""));
        assertThat(scheduler.finished().join().failures()).containsExactly(
                "run-0 failed: TASK_KILLED: Command terminated with signal Terminated",
                "run-1 failed: TASK_KILLED", "run-2 failed: never ended (run interrupted)");
    }

    @Test
    void killAllWithNothingRunningEndsAtOnce() {
        RunScheduler scheduler = scheduler(1);

        scheduler.killAll(driver);

        assertThat(scheduler.finished().join().failures()).containsExactly("run-0 failed: never ended (run interrupted)");
    }

    @Test
    void aRefusedLaunchIsRetriedWithTheNextOffer() {
        RunScheduler scheduler = scheduler(1);
        driver.launchFailure = new IllegalStateException("ACCEPT not sent: the driver is not subscribed");
        scheduler.offers(driver, List.of(offer("o-1", "h1", 1, 256)));

        driver.launchFailure = null;
        scheduler.offers(driver, List.of(offer("o-2", "h2", 1, 256)));

        assertThat(driver.calls).containsExactly("launch o-1 run-0", "revive", "suppress", "launch o-2 run-0", "suppress");
        assertThat(lines()).contains("launch of 1 task(s) failed, retrying: ACCEPT not sent: the driver is not subscribed");
    }

    @Test
    void anErrorFromTheMasterEndsTheRun() {
        RunScheduler scheduler = scheduler(1);

        scheduler.error(driver, "Framework has been removed");

        assertThat(scheduler.finished().join()).isEqualTo(RunOutcome.error("Framework has been removed"));
    }

    @Test
    void printsTheFrameworkIdOnce() {
        RunScheduler scheduler = scheduler(1);
        FrameworkID id = FrameworkID.newBuilder().setValue("fw-7").build();

        scheduler.subscribed(driver, id, null);
        scheduler.subscribed(driver, id, null);

        assertThat(lines()).containsExactly("Framework fw-7 subscribed");
        assertThat(scheduler.subscribed()).isCompletedWithValue(id);
    }

    @Test
    void saysOnceWhyItWaitsWhenNoOfferHasFittedForTenSeconds() {
        RunScheduler scheduler = scheduler(1, ResourceNeeds.of(5, 64));

        scheduler.offers(driver, List.of(offer("o-1", "h1", 0.666, 1024)));
        now = now.plus(RunScheduler.TELL_UNFIT_AFTER.minusMillis(1));
        scheduler.offers(driver, List.of(offer("o-2", "h1", 0.666, 1024)));
        assertThat(warned.toString()).isEmpty();
        now = now.plusMillis(1);
        scheduler.offers(driver, List.of(offer("o-3", "h1", 0.666, 1024)));
        now = now.plus(Duration.ofMinutes(1));
        scheduler.offers(driver, List.of(offer("o-4", "h1", 0.666, 1024)));

        assertThat(warned.toString().lines()).containsExactly("tandem run: waiting: no offer fits run-0 (needs cpus:5;mem:64);"
                + " offer o-3 on h1 lacks cpus (needs 5, has 0.666); still waiting (Ctrl-C to stop)");
        assertThat(scheduler.finished()).isNotDone();
        assertThat(driver.calls).allMatch(call -> call.startsWith("decline"));
    }

    @Test
    void aLaunchStartsTheWaitForAFittingOfferAgain() {
        RunScheduler scheduler = scheduler(2, ResourceNeeds.of(1, 64));

        scheduler.offers(driver, List.of(offer("o-1", "h1", 0.5, 1024)));
        now = now.plusSeconds(9);
        scheduler.offers(driver, List.of(offer("o-2", "h2", 1, 1024)));   // run-0 launches
        now = now.plusSeconds(9);
        scheduler.offers(driver, List.of(offer("o-3", "h1", 0.5, 1024)));
        now = now.plusSeconds(9);
        scheduler.offers(driver, List.of(offer("o-4", "h1", 0.5, 1024)));
        assertThat(warned.toString()).isEmpty();
        now = now.plusSeconds(1);
        scheduler.offers(driver, List.of(offer("o-5", "h1", 0.5, 1024)));

        assertThat(warned.toString()).startsWith("tandem run: waiting: no offer fits run-1 (needs cpus:1;mem:64);");
    }
}
