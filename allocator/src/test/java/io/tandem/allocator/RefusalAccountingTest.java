package io.tandem.allocator;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.model.AgentId;
import io.tandem.model.FrameworkId;
import io.tandem.model.Resources;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The whole-agent pass counts refusals in bulk; every (framework, role) must still be accounted on every agent. */
class RefusalAccountingTest {
    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    private static final int AGENTS = 12;

    private final Allocator allocator = new Allocator();

    @Test
    void everyCandidateIsGrantedOrRefusedOnceOnEveryAgent() {
        for (int i = 0; i < AGENTS; i++) {
            String spec = i % 4 == 0 ? "cpus:4;mem:4096;cpus(gold):2" : "cpus:4;mem:4096;ports:[31000-31009]";
            allocator.addAgent(AgentId.of("a" + i), Resources.parse(spec));
        }
        allocator.setQuota("silver", Resources.parse("cpus:2"), Resources.parse("cpus:6;mem:6144"));
        List<String> roles = List.of("gold", "silver", "*");
        for (int f = 0; f < 6; f++) {
            allocator.addFramework(FrameworkId.of("f" + f), Set.of(roles.get(f % 3)));
        }
        // First round: every framework declines half of what it got with a long filter.
        List<Grant> first = allocator.allocate(T0);
        for (int i = 0; i < first.size(); i++) {
            Grant g = first.get(i);
            allocator.recover(g.frameworkId(), g.agentId(), g.role(), g.resources(),
                    i % 2 == 0 ? Duration.ofDays(1) : Duration.ZERO, T0);
        }

        List<Grant> grants = allocator.allocate(T0.plusSeconds(1));

        for (int f = 0; f < 6; f++) {
            FrameworkId id = FrameworkId.of("f" + f);
            long servedOn = grants.stream().filter(g -> g.frameworkId().equals(id)).map(Grant::agentId)
                    .distinct().count();
            int refusedOn = allocator.lastRound().refusalsFor(id).stream().mapToInt(Refusal::agents).sum();
            assertThat(servedOn + refusedOn).as("framework %s", id).isEqualTo(AGENTS);
        }
    }
}
