package io.tandem.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.Filters;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.OfferID;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.Protos.Value;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.Test;

/** Keeps the README's example scheduler true: the class below is the README's, main() aside. */
class ReadmeExampleTest {

    static class Hello implements Scheduler {
        final CompletableFuture<TaskState> done = new CompletableFuture<>();
        private boolean launched;

        @Override public void offers(SchedulerCalls driver, List<Offer> offers) {
            for (Offer offer : offers) {
                Placement p = OfferMatcher.match(offer, ResourceNeeds.of(0.1, 32));
                if (launched || !p.fits()) {
                    driver.decline(List.of(offer.getId()), Filters.newBuilder().setRefuseSeconds(5).build());
                    continue;
                }
                launched = true;
                driver.launch(offer.getId(), List.of(TaskInfo.newBuilder().setName("hello")
                        .setTaskId(TaskID.newBuilder().setValue("hello-1")).setAgentId(offer.getAgentId())
                        .addAllResources(p.resources())
                        .setCommand(CommandInfo.newBuilder().setValue("echo hello")).build()));
            }
        }

        @Override public void update(SchedulerCalls driver, TaskStatus status) {
            System.out.println(status.getTaskId().getValue() + " " + status.getState());
            switch (status.getState()) {
                case TASK_STAGING, TASK_STARTING, TASK_RUNNING -> { }
                default -> done.complete(status.getState());
            }
        }
    }

    private static Offer offer(String id) {
        return Offer.newBuilder().setId(OfferID.newBuilder().setValue(id))
                .setFrameworkId(FrameworkID.newBuilder().setValue("fw-1"))
                .setAgentId(AgentID.newBuilder().setValue("a-1")).setHostname("h")
                .addResources(Resource.newBuilder().setName("cpus").setType(Value.Type.SCALAR)
                        .setScalar(Value.Scalar.newBuilder().setValue(1)))
                .addResources(Resource.newBuilder().setName("mem").setType(Value.Type.SCALAR)
                        .setScalar(Value.Scalar.newBuilder().setValue(128)))
                .build();
    }

    @Test
    void theReadmeSchedulerLaunchesOneTaskAndTearsDownWhenItEnds() throws Exception {
        try (FakeMaster master = new FakeMaster()) {
            Hello hello = new Hello();
            try (SchedulerDriver driver = SchedulerDriver.builder().master(master.url())
                    .frameworkInfo(FrameworkInfo.newBuilder().setUser("me").setName("hello").build())
                    .scheduler(hello).build()) {
                driver.start();
                await().atMost(10, TimeUnit.SECONDS).until(master::streaming);
                master.send(Event.newBuilder().setType(Event.Type.OFFERS)
                        .setOffers(Event.Offers.newBuilder().addOffers(offer("o-1")).addOffers(offer("o-2"))).build());
                await().atMost(10, TimeUnit.SECONDS).until(() -> master.calls(Call.Type.DECLINE).size() == 1);
                master.send(Event.newBuilder().setType(Event.Type.UPDATE).setUpdate(Event.Update.newBuilder()
                        .setStatus(TaskStatus.newBuilder().setTaskId(TaskID.newBuilder().setValue("hello-1"))
                                .setState(TaskState.TASK_FINISHED))).build());

                assertThat(hello.done.get(10, TimeUnit.SECONDS)).isEqualTo(TaskState.TASK_FINISHED);
            }
            assertThat(master.calls(Call.Type.ACCEPT)).singleElement().satisfies(accept -> assertThat(
                    accept.getAccept().getOperations(0).getLaunch().getTaskInfos(0).getResourcesCount()).isEqualTo(2));
            assertThat(master.calls(Call.Type.TEARDOWN)).hasSize(1);
        }
    }
}
