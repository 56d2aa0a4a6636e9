package io.tandem.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.Request;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.Value;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DeclareDemandTest {
    private final RecordingScheduler scheduler = new RecordingScheduler();
    private FakeMaster master;
    private SchedulerDriver driver;

    @BeforeEach
    void subscribe() throws Exception {
        master = new FakeMaster();
        driver = SchedulerDriver.builder().master(master.url()).suppressedRoles(Set.of("web"))
                .frameworkInfo(FrameworkInfo.newBuilder().setUser("alice").setName("demand").build())
                .scheduler(scheduler).backoff(Duration.ofMillis(10), Duration.ofMillis(50))
                .callTimeout(Duration.ofSeconds(5)).random(RandomGenerator.of("L64X128MixRandom")).build();
        driver.start();
        await().atMost(10, TimeUnit.SECONDS).until(() -> scheduler.events.contains("subscribed fw-1"));
    }

    @AfterEach
    void close() {
        driver.stop(true);
        master.close();
    }

    private Call.Request sent() {
        return master.calls(Call.Type.REQUEST).getLast().getRequest();
    }

    private static Resource scalar(String name, double amount, String role) {
        Resource.Builder resource = Resource.newBuilder().setName(name).setType(Value.Type.SCALAR)
                .setScalar(Value.Scalar.newBuilder().setValue(amount));
        if (role != null) {
            resource.setAllocationInfo(Resource.AllocationInfo.newBuilder().setRole(role));
        }
        return resource.build();
    }

    @Test
    void declaresOneRequestEntryPerTaskWithTheRoleAsAllocationInfo() throws Exception {
        driver.declareDemand("web", List.of(TaskShape.of(3, 2, 8192), TaskShape.of(1, 6, 2048)))
                .get(5, TimeUnit.SECONDS);

        Request small = Request.newBuilder()
                .addResources(scalar("cpus", 2, "web")).addResources(scalar("mem", 8192, "web")).build();
        Request large = Request.newBuilder()
                .addResources(scalar("cpus", 6, "web")).addResources(scalar("mem", 2048, "web")).build();
        assertThat(sent().getRequestsList()).containsExactly(small, small, small, large);
        assertThat(master.calls(Call.Type.REQUEST).getLast().getFrameworkId().getValue()).isEqualTo("fw-1");
    }

    @Test
    void withoutARoleTheResourcesCarryNoAllocationInfoAndDiskAndAPortCountAreDeclaredWhenNeeded() throws Exception {
        driver.declareDemand(List.of(new TaskShape(ResourceNeeds.of(0.5, 64).withDisk(100).withPorts(2), 2)))
                .get(5, TimeUnit.SECONDS);

        Request task = Request.newBuilder().addResources(scalar("cpus", 0.5, null))
                .addResources(scalar("mem", 64, null)).addResources(scalar("disk", 100, null))
                .addResources(scalar("ports", 2, null)).build();
        assertThat(sent().getRequestsList()).containsExactly(task, task);
    }

    @Test
    void clearingOrDeclaringNothingSendsAnEmptyRequest() throws Exception {
        driver.declareDemand("web", List.of(TaskShape.of(2, 1, 128))).get(5, TimeUnit.SECONDS);
        driver.declareDemand("web", List.of(TaskShape.of(0, 1, 128))).get(5, TimeUnit.SECONDS);
        driver.clearDemand().get(5, TimeUnit.SECONDS);

        assertThat(master.calls(Call.Type.REQUEST)).extracting(c -> c.getRequest().getRequestsCount())
                .containsExactly(2, 0, 0);
    }

    @Test
    void subscribesWithTheRolesToKeepSuppressedUntilTheDemandIsDeclared() {
        assertThat(master.subscriptions().getFirst().call().getSubscribe().getSuppressedRolesList())
                .containsExactly("web");
    }

    @Test
    void aNegativeCountIsRefusedBeforeAnythingIsSent() {
        assertThatThrownBy(() -> TaskShape.of(-1, 1, 128))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
        assertThat(master.calls(Call.Type.REQUEST)).isEmpty();
    }
}
