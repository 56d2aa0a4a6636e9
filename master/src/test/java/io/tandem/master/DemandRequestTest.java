package io.tandem.master;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.allocator.TaskShape;
import io.tandem.api.ResourceMapping;
import io.tandem.model.Resources;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** REQUEST, Tandem's extension: each request is one task of a shape, and declares the framework's demand. */
class DemandRequestTest {
    @TempDir
    Path dir;
    LoopDriver master;

    @BeforeEach
    void start() {
        master = new LoopDriver(LoopDriver.config(dir));
    }

    @AfterEach
    void stop() {
        master.close();
    }

    private static FrameworkInfo multiRole(String name, String... roles) {
        return Protobufs.framework(name).toBuilder().addAllRoles(List.of(roles)).addCapabilities(
                FrameworkInfo.Capability.newBuilder().setType(FrameworkInfo.Capability.Type.MULTI_ROLE)).build();
    }

    private static Protos.Request task(String resources, String role) {
        return Protos.Request.newBuilder()
                .addAllResources(ResourceMapping.toMesos(Resources.parse(resources), role)).build();
    }

    private static Call request(Protos.FrameworkID framework, Protos.Request... requests) {
        return Call.newBuilder().setType(Call.Type.REQUEST).setFrameworkId(framework)
                .setRequest(Call.Request.newBuilder().addAllRequests(List.of(requests))).build();
    }

    @Test
    void identicalRequestsCountAsTasksOfOneShapeInTheFrameworksOnlyRole() {
        LoopDriver.Scheduler fw = master.subscribe(Protobufs.framework("fw"));

        CallResult result = master.call(fw, request(fw.id(), task("cpus:2;mem:8192", null),
                task("cpus:2;mem:8192", null), task("cpus:1;mem:128", null)));

        assertThat(result.isAccepted()).isTrue();
        assertThat(master.allocator.demand(MesosIds.of(fw.id()))).isEqualTo(Map.of("*", List.of(
                TaskShape.of("cpus:2;mem:8192", 2), TaskShape.of("cpus:1;mem:128", 1))));
    }

    @Test
    void declaredTasksAreOfferedAtTaskGranularityNotAsAWholeAgent() {
        LoopDriver.Scheduler fw = master.subscribe(Protobufs.framework("fw"));
        master.call(fw, request(fw.id(), task("cpus:2;mem:8192", null), task("cpus:2;mem:8192", null)));

        master.agent("h1", "cpus:18;mem:36864");

        Resources offered = fw.offers().stream().map(o -> ResourceMapping.fromMesos(o.getResourcesList()))
                .reduce(Resources.empty(), Resources::plus);
        assertThat(offered).isEqualTo(Resources.parse("cpus:4;mem:16384"));
    }

    @Test
    void theRoleComesFromAllocationInfoAndAnotherRequestKeepsOtherRolesDeclarations() {
        LoopDriver.Scheduler fw = master.subscribe(multiRole("fw", "a", "b"));
        master.call(fw, request(fw.id(), task("cpus:1;mem:64", "a"), task("cpus:2;mem:64", "b")));

        CallResult result = master.call(fw, request(fw.id(), task("cpus:3;mem:64", "b")));

        assertThat(result.isAccepted()).isTrue();
        assertThat(master.allocator.demand(MesosIds.of(fw.id()))).isEqualTo(Map.of(
                "a", List.of(TaskShape.of("cpus:1;mem:64", 1)), "b", List.of(TaskShape.of("cpus:3;mem:64", 1))));
    }

    @Test
    void anEmptyRequestWithdrawsTheDemandInEveryRole() {
        LoopDriver.Scheduler fw = master.subscribe(multiRole("fw", "a", "b"));
        master.call(fw, request(fw.id(), task("cpus:1;mem:64", "a"), task("cpus:2;mem:64", "b")));

        CallResult result = master.call(fw, request(fw.id()));

        assertThat(result.isAccepted()).isTrue();
        assertThat(master.allocator.demand(MesosIds.of(fw.id()))).isEmpty();
    }

    @Test
    void aRequestWithoutARoleFromAMultiRoleFrameworkIsRefusedAsAmbiguous() {
        LoopDriver.Scheduler fw = master.subscribe(multiRole("fw", "a", "b"));

        CallResult result = master.call(fw, request(fw.id(), task("cpus:1;mem:64", null)));

        assertThat(result.status()).isEqualTo(CallResult.BAD_REQUEST);
        assertThat(result.message()).contains("request #0 names no role", "[a, b]");
        assertThat(master.allocator.demand(MesosIds.of(fw.id()))).isEmpty();
    }

    @Test
    void aRequestForARoleTheFrameworkDoesNotHoldIsRefusedAndNothingChanges() {
        LoopDriver.Scheduler fw = master.subscribe(multiRole("fw", "a", "b"));
        master.call(fw, request(fw.id(), task("cpus:1;mem:64", "a")));

        CallResult result = master.call(fw, request(fw.id(), task("cpus:1;mem:64", "b"), task("cpus:1;mem:64", "c")));

        assertThat(result.status()).isEqualTo(CallResult.BAD_REQUEST);
        assertThat(result.message()).contains("request #1 is for role 'c'", "does not hold");
        assertThat(master.allocator.demand(MesosIds.of(fw.id())))
                .isEqualTo(Map.of("a", List.of(TaskShape.of("cpus:1;mem:64", 1))));
    }

    @Test
    void malformedResourcesAreRefusedWithTheReason() {
        LoopDriver.Scheduler fw = master.subscribe(Protobufs.framework("fw"));
        Protos.Request negative = Protos.Request.newBuilder().addResources(Protobufs.scalar("cpus", -1)).build();

        CallResult result = master.call(fw, request(fw.id(), negative));

        assertThat(result.status()).isEqualTo(CallResult.BAD_REQUEST);
        assertThat(result.message()).contains("request #0", "'cpus'", "non-negative");
    }

    @Test
    void aTaskTooSmallToAllocateIsRefused() {
        LoopDriver.Scheduler fw = master.subscribe(Protobufs.framework("fw"));

        CallResult result = master.call(fw, request(fw.id(), task("disk:10", null)));

        assertThat(result.status()).isEqualTo(CallResult.BAD_REQUEST);
        assertThat(result.message()).contains("task shape needs at least");
    }

    @Test
    void portsAreACountGivenAsAScalarOrAsTheSizeOfRanges() {
        LoopDriver.Scheduler fw = master.subscribe(Protobufs.framework("fw"));

        CallResult result = master.call(fw, request(fw.id(), task("cpus:1;mem:128;ports:2", null),
                task("cpus:1;mem:128;ports:[8080-8080,9090-9090]", null), task("cpus:1;mem:128;ports:[1-3]", null)));

        assertThat(result.isAccepted()).isTrue();
        assertThat(master.allocator.demand(MesosIds.of(fw.id()))).isEqualTo(Map.of("*", List.of(
                TaskShape.of("cpus:1;mem:128;ports:2", 2), TaskShape.of("cpus:1;mem:128;ports:3", 1))));
    }
}
