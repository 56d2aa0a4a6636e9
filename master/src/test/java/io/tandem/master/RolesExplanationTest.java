package io.tandem.master;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.api.ResourceMapping;
import io.tandem.model.Resources;
import java.nio.file.Path;
import java.util.List;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GET /roles/explain: what Mesos's Role message cannot hold, per role and per framework. */
class RolesExplanationTest {
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

    private static Call request(Protos.FrameworkID framework, String resources, int count) {
        Call.Request.Builder request = Call.Request.newBuilder();
        for (int i = 0; i < count; i++) {
            request.addRequests(Protos.Request.newBuilder()
                    .addAllResources(ResourceMapping.toMesos(Resources.parse(resources), null)));
        }
        return Call.newBuilder().setType(Call.Type.REQUEST).setFrameworkId(framework).setRequest(request).build();
    }

    @Test
    void showsEachFrameworksAllocationAndDominantShare() {
        LoopDriver.Scheduler fw = master.subscribe(Protobufs.framework("greedy"));
        master.call(fw, request(fw.id(), "cpus:2;mem:8192", 2));
        master.agent("h1", "cpus:18;mem:36864");

        RolesExplanation.Explanation explained = RolesExplanation.explain(master.snapshot());

        assertThat(explained.cluster()).isEqualTo("cpus:18;mem:36864");
        assertThat(explained.roles()).singleElement().satisfies(role -> {
            assertThat(role.role()).isEqualTo("*");
            assertThat(role.weight()).isEqualTo(1.0);
            assertThat(role.frameworks()).singleElement().satisfies(f -> {
                assertThat(f.name()).isEqualTo("greedy");
                assertThat(f.allocated()).isEqualTo("cpus:4;mem:16384");
                assertThat(f.dominantShare()).isCloseTo(16384.0 / 36864, org.assertj.core.data.Offset.offset(1e-9));
            });
        });
    }

    @Test
    void demandThatFitsNoAgentIsReportedWithTheReason() {
        master.agent("h1", "cpus:18;mem:36864");
        LoopDriver.Scheduler fw = master.subscribe(Protobufs.framework("big"));
        master.call(fw, request(fw.id(), "cpus:64;mem:1024", 3));

        RolesExplanation.Explanation explained = RolesExplanation.explain(master.snapshot());

        RolesExplanation.FrameworkView view = explained.roles().getFirst().frameworks().getFirst();
        assertThat(view.demand()).extracting(RolesExplanation.ShapeView::count).isEqualTo(List.of(3));
        assertThat(view.unmet()).singleElement().satisfies(u -> {
            assertThat(u.resources()).isEqualTo("cpus:64;mem:1024");
            assertThat(u.reason()).contains("cpus:64", "fits on no agent");
        });
    }

    @Test
    void dominantShareIsTheLargestFractionOfAnyResource() {
        assertThat(RolesExplanation.dominantShare(Resources.parse("cpus:6;mem:2048"),
                Resources.parse("cpus:18;mem:36864"))).isEqualTo(6.0 / 18);
    }
}
