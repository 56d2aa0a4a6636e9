package io.tandem.master;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.allocator.Quota;
import io.tandem.api.ResourceMapping;
import io.tandem.model.AgentId;
import io.tandem.model.Resources;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.master.Protos.Call;
import org.apache.mesos.v1.quota.Protos.QuotaConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The operator calls that change the master: weights, quota, reservations; each refusal changes nothing. */
class OperatorCallsTest {
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

    private static Call weights(Object... roleWeight) {
        Call.UpdateWeights.Builder update = Call.UpdateWeights.newBuilder();
        for (int i = 0; i < roleWeight.length; i += 2) {
            update.addWeightInfos(Protos.WeightInfo.newBuilder().setRole((String) roleWeight[i])
                    .setWeight((Double) roleWeight[i + 1]));
        }
        return Call.newBuilder().setType(Call.Type.UPDATE_WEIGHTS).setUpdateWeights(update).build();
    }

    private static QuotaConfig quota(String role, Map<String, Double> guarantees, Map<String, Double> limits) {
        QuotaConfig.Builder config = QuotaConfig.newBuilder().setRole(role);
        guarantees.forEach((n, v) -> config.putGuarantees(n, Protos.Value.Scalar.newBuilder().setValue(v).build()));
        limits.forEach((n, v) -> config.putLimits(n, Protos.Value.Scalar.newBuilder().setValue(v).build()));
        return config.build();
    }

    private static Call quotaCall(boolean force, QuotaConfig... configs) {
        return Call.newBuilder().setType(Call.Type.UPDATE_QUOTA).setUpdateQuota(Call.UpdateQuota.newBuilder()
                .setForce(force).addAllQuotaConfigs(List.of(configs))).build();
    }

    private static Call reserve(Protos.AgentID agent, String resources) {
        return Call.newBuilder().setType(Call.Type.RESERVE_RESOURCES).setReserveResources(
                Call.ReserveResources.newBuilder().setAgentId(agent)
                        .addAllResources(ResourceMapping.toMesos(Resources.parse(resources), null))).build();
    }

    private static Call unreserve(Protos.AgentID agent, String resources) {
        return Call.newBuilder().setType(Call.Type.UNRESERVE_RESOURCES).setUnreserveResources(
                Call.UnreserveResources.newBuilder().setAgentId(agent)
                        .addAllResources(ResourceMapping.toMesos(Resources.parse(resources), null))).build();
    }

    @Test
    void updateWeightsSetsEveryWeightAndGetWeightsShowsThem() {
        CallResult result = master.operator(weights("eng", 2.0, "ops", 0.5));

        assertThat(result.status()).isEqualTo(CallResult.OK);
        assertThat(RoleResponses.getWeights(master.snapshot()).getGetWeights().getWeightInfosList())
                .extracting(Protos.WeightInfo::getRole, Protos.WeightInfo::getWeight)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("eng", 2.0),
                        org.assertj.core.groups.Tuple.tuple("ops", 0.5));
    }

    @Test
    void aZeroNegativeOrNaNWeightIsRefusedAndNoWeightChanges() {
        for (double bad : new double[] {0.0, -1.0, Double.NaN}) {
            CallResult result = master.operator(weights("eng", 2.0, "ops", bad));

            assertThat(result.status()).isEqualTo(CallResult.BAD_REQUEST);
            assertThat(result.message()).contains("UPDATE_WEIGHTS", "ops");
        }
        assertThat(master.allocator.weights()).isEmpty();
    }

    @Test
    void aMalformedRoleIsRefused() {
        CallResult result = master.operator(weights("eng//prod", 2.0));

        assertThat(result.status()).isEqualTo(CallResult.BAD_REQUEST);
        assertThat(result.message()).contains("eng//prod");
        assertThat(master.allocator.weights()).isEmpty();
    }

    @Test
    void updateQuotaSetsGuaranteesAndLimitsAndGetQuotaShowsThem() {
        master.agent("h1", "cpus:8;mem:8192");

        CallResult result = master.operator(quotaCall(false,
                quota("eng", Map.of("cpus", 2.0), Map.of("cpus", 4.0, "mem", 4096.0))));

        assertThat(result.status()).isEqualTo(CallResult.OK);
        assertThat(master.allocator.quotas()).isEqualTo(Map.of("eng", Quota.of("cpus:2", "cpus:4;mem:4096")));
        assertThat(RoleResponses.getQuota(master.snapshot()).getGetQuota().getStatus().getConfigsList())
                .singleElement().satisfies(c -> {
                    assertThat(c.getRole()).isEqualTo("eng");
                    assertThat(c.getGuaranteesMap().get("cpus").getValue()).isEqualTo(2.0);
                    assertThat(c.getLimitsMap().get("mem").getValue()).isEqualTo(4096.0);
                });
    }

    @Test
    void aLimitBelowTheGuaranteeIsRefusedAndNoQuotaOfTheCallIsSet() {
        master.agent("h1", "cpus:8;mem:8192");

        CallResult result = master.operator(quotaCall(false, quota("ops", Map.of("cpus", 1.0), Map.of()),
                quota("eng", Map.of("cpus", 4.0), Map.of("cpus", 2.0))));

        assertThat(result.status()).isEqualTo(CallResult.BAD_REQUEST);
        assertThat(result.message()).contains("role 'eng'", "below the guarantee");
        assertThat(master.allocator.quotas()).isEmpty();
    }

    @Test
    void guaranteesBeyondTheClusterAreRefusedUnlessForced() {
        master.agent("h1", "cpus:8;mem:8192");
        master.operator(quotaCall(false, quota("ops", Map.of("cpus", 5.0), Map.of())));

        CallResult refused = master.operator(quotaCall(false, quota("eng", Map.of("cpus", 4.0), Map.of())));
        CallResult forced = master.operator(quotaCall(true, quota("eng", Map.of("cpus", 4.0), Map.of())));

        assertThat(refused.status()).isEqualTo(CallResult.BAD_REQUEST);
        assertThat(refused.message()).contains("cpus:9", "cpus:8", "force");
        assertThat(forced.status()).isEqualTo(CallResult.OK);
        assertThat(master.allocator.quotas()).containsOnlyKeys("ops", "eng");
    }

    @Test
    void aNegativeOrNaNQuotaAndTheUnreservedRoleAreRefused() {
        master.agent("h1", "cpus:8;mem:8192");

        assertThat(master.operator(quotaCall(false, quota("eng", Map.of("cpus", -1.0), Map.of()))).message())
                .contains("role 'eng'", "non-negative");
        assertThat(master.operator(quotaCall(false, quota("eng", Map.of(), Map.of("mem", Double.NaN)))).message())
                .contains("role 'eng'", "limits");
        assertThat(master.operator(quotaCall(false, quota("*", Map.of("cpus", 1.0), Map.of()))).message())
                .contains("'*'");
        assertThat(master.allocator.quotas()).isEmpty();
    }

    @Test
    void reservingFreeResourcesOffersThemOnlyToTheRole() {
        LoopDriver.AgentStream agent = master.agent("h1", "cpus:4;mem:1024");

        CallResult result = master.operator(reserve(agent.id(), "cpus(prod):2"));

        assertThat(result.status()).isEqualTo(CallResult.ACCEPTED);
        AgentId id = MesosIds.of(agent.id());
        assertThat(master.allocator.total(id)).isEqualTo(Resources.parse("cpus:2;cpus(prod):2;mem:1024"));
        assertThat(master.snapshot().agents().getFirst().total())
                .isEqualTo(Resources.parse("cpus:2;cpus(prod):2;mem:1024"));
        LoopDriver.Scheduler other = master.subscribe(Protobufs.framework("fw"));
        assertThat(other.offers()).singleElement().satisfies(o -> assertThat(
                ResourceMapping.fromMesos(o.getResourcesList())).isEqualTo(Resources.parse("cpus:2;mem:1024")));
    }

    @Test
    void unreservingGivesTheResourcesBackToEveryRole() {
        LoopDriver.AgentStream agent = master.agent("h1", "cpus:4;mem:1024");
        master.operator(reserve(agent.id(), "cpus(prod):2"));

        CallResult result = master.operator(unreserve(agent.id(), "cpus(prod):2"));

        assertThat(result.status()).isEqualTo(CallResult.ACCEPTED);
        assertThat(master.allocator.total(MesosIds.of(agent.id()))).isEqualTo(Resources.parse("cpus:4;mem:1024"));
    }

    @Test
    void reservationsSurviveTheAgentSubscribingAgain() {
        LoopDriver.AgentStream agent = master.agent("h1", "cpus:4;mem:1024");
        master.operator(reserve(agent.id(), "cpus(prod):2"));
        master.operator(reserve(agent.id(), "mem(dev):512"));
        master.operator(unreserve(agent.id(), "mem(dev):512"));

        master.agent(Protobufs.agentInfo("h1", "cpus:4;mem:1024").toBuilder().setId(agent.id()).build(),
                List.of(), List.of());

        assertThat(master.allocator.total(MesosIds.of(agent.id())))
                .isEqualTo(Resources.parse("cpus:2;cpus(prod):2;mem:1024"));
    }

    @Test
    void reservationsAreDroppedWhenTheAgentComesBackTooSmallForThem() {
        LoopDriver.AgentStream agent = master.agent("h1", "cpus:4;mem:1024");
        master.operator(reserve(agent.id(), "cpus(prod):1"));
        master.operator(reserve(agent.id(), "cpus(dev):3"));

        master.agent(Protobufs.agentInfo("h1", "cpus:2;mem:1024").toBuilder().setId(agent.id()).build(),
                List.of(), List.of());

        assertThat(master.allocator.total(MesosIds.of(agent.id()))).isEqualTo(Resources.parse("cpus:2;mem:1024"));
    }

    @Test
    void reservingWhatIsNotFreeIsRefusedAndNothingChanges() {
        LoopDriver.AgentStream agent = master.agent("h1", "cpus:4;mem:1024");
        master.subscribe(Protobufs.framework("fw")); // holds the whole agent in an offer

        CallResult offered = master.operator(reserve(agent.id(), "cpus(prod):1"));
        CallResult tooMuch = master.operator(unreserve(agent.id(), "cpus(prod):1"));

        assertThat(offered.status()).isEqualTo(CallResult.BAD_REQUEST);
        assertThat(offered.message()).contains("no free", "cpus:1");
        assertThat(tooMuch.status()).isEqualTo(CallResult.BAD_REQUEST);
        assertThat(master.allocator.total(MesosIds.of(agent.id()))).isEqualTo(Resources.parse("cpus:4;mem:1024"));
    }

    @Test
    void reservationsNeedARoleAndAKnownAgent() {
        LoopDriver.AgentStream agent = master.agent("h1", "cpus:4;mem:1024");

        assertThat(master.operator(reserve(agent.id(), "cpus:1")).message()).contains("names no role");
        assertThat(master.operator(reserve(Protobufs.agentId("nope"), "cpus(prod):1")).message())
                .contains("agent nope", "not known");
        assertThat(master.operator(unreserve(agent.id(), "cpus:1")).message()).contains("is not reserved");
    }
}
