package io.tandem.allocator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.tandem.allocator.Refusal.Reason;
import io.tandem.model.AgentId;
import io.tandem.model.FrameworkId;
import io.tandem.model.Resources;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AllocatorTest {
    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    private static final AgentId A1 = AgentId.of("a1");
    private static final AgentId A2 = AgentId.of("a2");
    private static final FrameworkId F1 = FrameworkId.of("f1");
    private static final FrameworkId F2 = FrameworkId.of("f2");
    private static final Resources SMALL = Resources.parse("cpus:4;mem:1024;ports:[31000-31099]");

    private final Allocator allocator = new Allocator();

    private static Resources res(String spec) {
        return Resources.parse(spec);
    }

    private Reason onlyRefusal(FrameworkId framework) {
        List<Refusal> refusals = allocator.lastRound().refusalsFor(framework);
        assertThat(refusals).hasSize(1);
        return refusals.getFirst().reason();
    }

    @Test
    void grantsAllOfAnAgentToTheOnlyFramework() {
        allocator.addAgent(A1, SMALL);
        allocator.addFramework(F1, Set.of("dev"));

        assertThat(allocator.allocate(T0)).containsExactly(new Grant(F1, "dev", A1, SMALL));
        assertThat(allocator.available(A1).isEmpty()).isTrue();
        assertThat(allocator.allocated(F1)).isEqualTo(Map.of(A1, SMALL));
    }

    @Test
    void grantedResourcesStayAllocatedUntilRecovered() {
        allocator.addAgent(A1, SMALL);
        allocator.addFramework(F1, Set.of("dev"));
        allocator.allocate(T0);

        assertThat(allocator.allocate(T0)).isEmpty();
        assertThat(onlyRefusal(F1)).isEqualTo(Reason.NOTHING_LEFT);

        allocator.recover(F1, A1, SMALL, Duration.ZERO, T0);
        assertThat(allocator.allocate(T0)).containsExactly(new Grant(F1, "dev", A1, SMALL));
    }

    @Test
    void recoveringPartOfAGrantOffersOnlyThatPart() {
        allocator.addAgent(A1, SMALL);
        allocator.addFramework(F1, Set.of("dev"));
        allocator.allocate(T0);

        allocator.recover(F1, A1, res("cpus:1;mem:256;ports:[31000-31009]"), Duration.ZERO, T0);

        assertThat(allocator.allocate(T0)).extracting(Grant::resources)
                .containsExactly(res("cpus:1;mem:256;ports:[31000-31009]"));
    }

    @Test
    void aFilterKeepsTheAgentFromTheFrameworkUntilItExpires() {
        allocator.addAgent(A1, SMALL);
        allocator.addFramework(F1, Set.of("dev"));
        allocator.allocate(T0);
        allocator.recover(F1, A1, SMALL, Duration.ofSeconds(5), T0);

        assertThat(allocator.allocate(T0.plusSeconds(4))).isEmpty();
        assertThat(onlyRefusal(F1)).isEqualTo(Reason.FILTERED);
        assertThat(allocator.lastRound().refusalsFor(F1).getFirst().describe())
                .isEqualTo("framework f1 (role dev) got nothing from 1 agent(s): "
                        + "the framework declined this agent with a filter that has not expired");
        assertThat(allocator.allocate(T0.plusSeconds(5))).hasSize(1);
    }

    @Test
    void aFilterStopsCoveringTheAgentOnceMoreIsFreeThere() {
        allocator.addAgent(A1, SMALL);
        allocator.addFramework(F1, Set.of("dev"));
        allocator.allocate(T0);
        Resources task = res("cpus:1;mem:256");
        allocator.recover(F1, A1, SMALL.minus(task), Duration.ofMinutes(1), T0);
        assertThat(allocator.allocate(T0)).isEmpty();

        allocator.recover(F1, A1, task, Duration.ZERO, T0.plusSeconds(1));

        assertThat(allocator.allocate(T0.plusSeconds(1))).containsExactly(new Grant(F1, "dev", A1, SMALL));
    }

    @Test
    void aFilteredAgentGoesToAnotherFramework() {
        allocator.addAgent(A1, SMALL);
        allocator.addFramework(F1, Set.of("dev"));
        allocator.allocate(T0);
        allocator.recover(F1, A1, SMALL, Duration.ofMinutes(1), T0);
        allocator.addFramework(F2, Set.of("dev"));

        assertThat(allocator.allocate(T0)).containsExactly(new Grant(F2, "dev", A1, SMALL));
    }

    @Test
    void reviveClearsFilters() {
        allocator.addAgent(A1, SMALL);
        allocator.addFramework(F1, Set.of("dev"));
        allocator.allocate(T0);
        allocator.recover(F1, A1, SMALL, Duration.ofHours(1), T0);

        allocator.revive(F1, Set.of());

        assertThat(allocator.allocate(T0)).hasSize(1);
    }

    @Test
    void suppressStopsOffersForTheRoleUntilRevive() {
        allocator.addAgent(A1, SMALL);
        allocator.addFramework(F1, Set.of("dev", "web"));
        allocator.suppress(F1, Set.of("dev"));

        assertThat(allocator.allocate(T0)).extracting(Grant::role).containsExactly("web");
        assertThat(allocator.lastRound().refusalsFor(F1)).extracting(Refusal::role, Refusal::reason)
                .containsExactly(tuple("dev", Reason.SUPPRESSED));

        allocator.suppress(F1, Set.of());
        allocator.recover(F1, A1, SMALL, Duration.ZERO, T0);
        assertThat(allocator.allocate(T0)).isEmpty();

        allocator.revive(F1, Set.of("dev"));
        assertThat(allocator.allocate(T0)).extracting(Grant::role).containsExactly("dev");
    }

    @Test
    void anInactiveFrameworkGetsNothingUntilActivated() {
        allocator.addAgent(A1, SMALL);
        allocator.addFramework(F1, Set.of("dev"));
        allocator.deactivateFramework(F1);

        assertThat(allocator.allocate(T0)).isEmpty();
        assertThat(onlyRefusal(F1)).isEqualTo(Reason.INACTIVE);

        allocator.activateFramework(F1);
        assertThat(allocator.allocate(T0)).hasSize(1);
    }

    @Test
    void theFrameworkWithTheLowestDominantShareGoesFirst() {
        allocator.addAgent(A1, res("cpus:4;mem:1024"));
        allocator.addFramework(F1, Set.of("dev"));
        allocator.allocate(T0); // f1 now holds all of a1
        allocator.addFramework(F2, Set.of("dev"));
        allocator.addAgent(A2, res("cpus:4;mem:1024"));

        assertThat(allocator.allocate(T0)).containsExactly(new Grant(F2, "dev", A2, res("cpus:4;mem:1024")));
    }

    @Test
    void rolesAreSortedBeforeFrameworks() {
        // Role "a" holds half the cluster through f1; role "b" holds nothing, so b's framework goes first
        // even though f1 < f2 by name.
        allocator.addAgent(A1, res("cpus:4;mem:1024"));
        allocator.addFramework(F1, Set.of("a"));
        allocator.allocate(T0);
        allocator.addAgent(A2, res("cpus:4;mem:1024"));
        allocator.addFramework(F2, Set.of("b"));

        assertThat(allocator.allocate(T0)).extracting(Grant::frameworkId).containsExactly(F2);
    }

    @Test
    void reservedResourcesGoOnlyToTheirRoleAndItsChildren() {
        allocator.addAgent(A1, res("cpus:1;mem:512;cpus(eng):2;mem(eng):512"));
        allocator.addFramework(F1, Set.of("dev"));
        allocator.addFramework(F2, Set.of("eng/prod"));
        allocator.suppress(F2, Set.of());

        assertThat(allocator.allocate(T0)).containsExactly(new Grant(F1, "dev", A1, res("cpus:1;mem:512")));

        allocator.revive(F2, Set.of());
        assertThat(allocator.allocate(T0)).containsExactly(
                new Grant(F2, "eng/prod", A1, res("cpus(eng):2;mem(eng):512")));
    }

    @Test
    void leftoversBelowTheMinimumAreNotOffered() {
        allocator.addAgent(A1, res("cpus:0.005;mem:31;disk:100"));
        allocator.addFramework(F1, Set.of("dev"));

        assertThat(allocator.allocate(T0)).isEmpty();
        assertThat(onlyRefusal(F1)).isEqualTo(Reason.NOTHING_LEFT);
    }

    @Test
    void eachRoundStartsOneAgentFurtherAlong() {
        allocator.addAgent(A1, SMALL);
        allocator.addAgent(A2, SMALL);
        allocator.addFramework(F1, Set.of("dev"));

        assertThat(allocator.allocate(T0)).extracting(Grant::agentId).containsExactly(A1, A2);
        allocator.recover(F1, A1, SMALL, Duration.ZERO, T0);
        allocator.recover(F1, A2, SMALL, Duration.ZERO, T0);
        assertThat(allocator.allocate(T0)).extracting(Grant::agentId).containsExactly(A2, A1);
    }

    @Test
    void removingAFrameworkFreesEverythingItHeld() {
        allocator.addAgent(A1, SMALL);
        allocator.addAgent(A2, SMALL);
        allocator.addFramework(F1, Set.of("dev"));
        allocator.allocate(T0);

        allocator.removeFramework(F1);

        assertThat(allocator.available(A1)).isEqualTo(SMALL);
        assertThat(allocator.available(A2)).isEqualTo(SMALL);
        assertThat(allocator.allocated(F1)).isEmpty();
        allocator.recover(F1, A1, SMALL, Duration.ZERO, T0); // late recover: nothing to do
        assertThat(allocator.available(A1)).isEqualTo(SMALL);
    }

    @Test
    void removingAnAgentDropsWhatWasAllocatedOnIt() {
        allocator.addAgent(A1, SMALL);
        allocator.addFramework(F1, Set.of("dev"));
        allocator.allocate(T0);

        allocator.removeAgent(A1);

        assertThat(allocator.allocated(F1)).isEmpty();
        assertThat(allocator.clusterScalars().isEmpty()).isTrue();
        allocator.recover(F1, A1, SMALL, Duration.ZERO, T0);
        assertThat(allocator.allocate(T0)).isEmpty();
    }

    @Test
    void recoveringWhatTheFrameworkDoesNotHoldIsRefused() {
        allocator.addAgent(A1, SMALL);
        allocator.addFramework(F1, Set.of("dev"));
        allocator.allocate(T0);

        assertThatThrownBy(() -> allocator.recover(F1, A1, res("cpus:5"), Duration.ZERO, T0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("framework f1 does not hold 'cpus:5' under any single role on agent a1");
        assertThatThrownBy(() -> allocator.recover(F1, A1, "dev", res("cpus:5"), Duration.ZERO, T0))
                .hasMessageStartingWith("framework f1 does not hold 'cpus:5' on agent a1 in role dev");
    }

    @Test
    void resourcesInUseWhenAnAgentRegistersAreNotOffered() {
        allocator.addAgent(A1, SMALL);
        allocator.addAllocated(new Grant(F2, "dev", A1, res("cpus:3;ports:[31000-31049]")));
        allocator.addFramework(F1, Set.of("dev"));

        assertThat(allocator.allocate(T0)).extracting(Grant::resources)
                .containsExactly(res("cpus:1;mem:1024;ports:[31050-31099]"));
        assertThatThrownBy(() -> allocator.addAllocated(new Grant(F2, "dev", A1, res("cpus:1"))))
                .hasMessageStartingWith("agent a1 has no free 'cpus:1' for framework f2");
    }

    @Test
    void refusesDuplicateRegistrationsAndInvalidRoles() {
        allocator.addAgent(A1, SMALL);
        allocator.addFramework(F1, Set.of("dev"));

        assertThatThrownBy(() -> allocator.addAgent(A1, SMALL)).hasMessage("agent a1 is already known");
        assertThatThrownBy(() -> allocator.addFramework(F1, Set.of("dev")))
                .hasMessage("framework f1 is already known");
        assertThatThrownBy(() -> allocator.addFramework(F2, Set.of("bad role")))
                .hasMessageStartingWith("invalid role 'bad role'");
        assertThatThrownBy(() -> allocator.suppress(F2, Set.of())).hasMessage("unknown framework f2");
    }

    @Test
    void updatingRolesChangesWhatTheFrameworkIsOffered() {
        allocator.addAgent(A1, res("cpus:1;mem:64;cpus(prod):1"));
        allocator.addFramework(F1, Set.of("dev"));
        allocator.updateFramework(F1, Set.of("prod"));

        assertThat(allocator.allocate(T0)).containsExactly(new Grant(F1, "prod", A1, res("cpus:1;mem:64;cpus(prod):1")));
    }

    @Test
    void aRoleOfWeightTwoGetsTwiceTheAgents() {
        for (int i = 1; i <= 6; i++) {
            allocator.addAgent(AgentId.of("n" + i), res("cpus:1;mem:128"));
        }
        allocator.setWeight("heavy", 2);
        allocator.addFramework(F1, Set.of("heavy"));
        allocator.addFramework(F2, Set.of("light"));

        allocator.allocate(T0);

        assertThat(allocator.allocated(F1)).hasSize(4);
        assertThat(allocator.allocated(F2)).hasSize(2);
    }
}
