package io.tandem.allocator;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.model.AgentId;
import io.tandem.model.FrameworkId;
import io.tandem.model.Resource;
import io.tandem.model.Resources;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Drives the allocator through random sequences of events and checks, after every step: nothing on an
 * agent is held twice or beyond its total; every grant comes from what was free; filters, suppression
 * and activity are respected; reservations go only to their role or its children.
 */
class AllocatorPropertyTest {
    private static final List<AgentId> AGENTS = List.of(AgentId.of("a1"), AgentId.of("a2"), AgentId.of("a3"));
    private static final List<FrameworkId> FRAMEWORKS =
            List.of(FrameworkId.of("f1"), FrameworkId.of("f2"), FrameworkId.of("f3"));
    private static final List<Set<String>> ROLES = List.of(Set.of("dev"), Set.of("eng/prod", "dev"), Set.of("eng"));
    private static final List<Resources> TOTALS = List.of(
            Resources.parse("cpus:4;mem:4096;ports:[31000-31099]"),
            Resources.parse("cpus:2;mem:1024;cpus(eng):2;mem(eng):512;ports:[31000-31009]"),
            Resources.parse("cpus(eng/prod):1;mem(eng/prod):256;disk:100;zones:{a,b}"));

    enum Kind { ALLOCATE, RECOVER_ALL, RECOVER_CPUS, REVIVE, SUPPRESS, DEACTIVATE, ACTIVATE, REMOVE_FRAMEWORK,
        REMOVE_AGENT }

    record Op(Kind kind, int framework, int agent, int seconds) {}

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<Kind> kinds = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.just(Kind.ALLOCATE)),
                Tuple.of(5, Arbitraries.of(Kind.RECOVER_ALL, Kind.RECOVER_CPUS)),
                Tuple.of(3, Arbitraries.of(Kind.values())));
        return Combinators.combine(kinds, Arbitraries.integers().between(0, 2), Arbitraries.integers().between(0, 2),
                Arbitraries.integers().between(0, 6)).as(Op::new).list().ofMinSize(1).ofMaxSize(40);
    }

    /** The test's own record of who may be offered what, to hold the allocator to. */
    /** A decline the model remembers: these resources, refused until then. */
    private record Refused(Resources resources, Instant until) {}

    private static final class Expected {
        final Map<String, List<Refused>> filters = new HashMap<>();
        final Map<FrameworkId, Set<String>> suppressed = new HashMap<>();
        final Map<FrameworkId, Boolean> active = new HashMap<>();
    }

    @Property(seed = "20250101", tries = 300)
    void allocationsStayConsistent(@ForAll("ops") List<Op> ops) {
        Allocator allocator = new Allocator();
        Expected expected = new Expected();
        for (int i = 0; i < 3; i++) {
            allocator.addAgent(AGENTS.get(i), TOTALS.get(i));
            allocator.addFramework(FRAMEWORKS.get(i), ROLES.get(i));
            expected.active.put(FRAMEWORKS.get(i), true);
            expected.suppressed.put(FRAMEWORKS.get(i), new HashSet<>());
        }
        Instant now = Instant.parse("2025-01-01T00:00:00Z");
        for (Op op : ops) {
            now = now.plusSeconds(op.seconds());
            apply(allocator, expected, op, now);
            for (AgentId agent : allocator.agents()) {
                assertHoldingsFitTheAgent(allocator, agent);
            }
        }
    }

    private static void apply(Allocator allocator, Expected expected, Op op, Instant now) {
        FrameworkId f = FRAMEWORKS.get(op.framework());
        AgentId a = AGENTS.get(op.agent());
        boolean known = allocator.frameworks().contains(f);
        switch (op.kind()) {
            case ALLOCATE -> checkRound(allocator, expected, now);
            case RECOVER_ALL, RECOVER_CPUS -> recover(allocator, expected, op, now);
            case REVIVE -> {
                if (known) {
                    allocator.revive(f, Set.of());
                    expected.suppressed.get(f).clear();
                    expected.filters.keySet().removeIf(k -> k.startsWith(f + "@"));
                }
            }
            case SUPPRESS -> {
                if (known) {
                    String role = ROLES.get(op.framework()).iterator().next();
                    allocator.suppress(f, Set.of(role));
                    expected.suppressed.get(f).add(role);
                }
            }
            case DEACTIVATE, ACTIVATE -> {
                if (known) {
                    boolean activate = op.kind() == Kind.ACTIVATE;
                    if (activate) {
                        allocator.activateFramework(f);
                    } else {
                        allocator.deactivateFramework(f);
                    }
                    expected.active.put(f, activate);
                }
            }
            case REMOVE_FRAMEWORK -> {
                allocator.removeFramework(f);
                assertThat(allocator.allocated(f)).isEmpty();
                allocator.addFramework(f, ROLES.get(op.framework()));
                expected.active.put(f, true);
                expected.suppressed.get(f).clear();
                expected.filters.keySet().removeIf(k -> k.startsWith(f + "@"));
            }
            case REMOVE_AGENT -> {
                allocator.removeAgent(a);
                allocator.addAgent(a, TOTALS.get(op.agent()));
                assertThat(allocator.available(a)).isEqualTo(TOTALS.get(op.agent()));
                expected.filters.keySet().removeIf(k -> k.endsWith("@" + a));
            }
        }
    }

    private static void recover(Allocator allocator, Expected expected, Op op, Instant now) {
        FrameworkId f = FRAMEWORKS.get(op.framework());
        AgentId a = AGENTS.get(op.agent());
        Map<String, Resources> held = allocator.allocated(f, a);
        if (held.isEmpty()) {
            return;
        }
        var entry = held.entrySet().iterator().next();
        Resources back = op.kind() == Kind.RECOVER_ALL
                ? entry.getValue()
                : entry.getValue().filter(r -> r.name().equals("cpus"));
        Duration refuse = Duration.ofSeconds(op.seconds() % 3 == 0 ? 0 : op.seconds());
        Resources before = allocator.available(a);
        allocator.recover(f, a, entry.getKey(), back, refuse, now);
        assertThat(allocator.available(a)).isEqualTo(before.plus(back));
        if (refuse.isPositive()) {
            expected.filters.computeIfAbsent(f + "@" + a, k -> new ArrayList<>()).add(new Refused(back, now.plus(refuse)));
        }
    }

    private static void checkRound(Allocator allocator, Expected expected, Instant now) {
        Map<AgentId, Resources> free = new HashMap<>();
        allocator.agents().forEach(agent -> free.put(agent, allocator.available(agent)));
        for (Grant g : allocator.allocate(now)) {
            Resources left = free.get(g.agentId());
            assertThat(left.contains(g.resources())).as("granted twice or beyond the free: %s", g).isTrue();
            free.put(g.agentId(), left.minus(g.resources()));
            assertThat(Allocator.isAllocatable(g.resources())).isTrue();
            assertThat(expected.active.get(g.frameworkId())).as("inactive framework offered: %s", g).isTrue();
            assertThat(expected.suppressed.get(g.frameworkId())).doesNotContain(g.role());
            assertThat(ROLES.get(FRAMEWORKS.indexOf(g.frameworkId()))).contains(g.role());
            for (Refused refused : expected.filters.getOrDefault(g.frameworkId() + "@" + g.agentId(), List.of())) {
                assertThat(now.isBefore(refused.until()) && refused.resources().contains(g.resources()))
                        .as("filter ignored: %s refused %s", g, refused).isFalse();
            }
            for (Resource r : g.resources().list()) {
                assertThat(!r.isReserved() || g.role().equals(r.role()) || g.role().startsWith(r.role() + "/"))
                        .as("reservation %s offered to role %s", r, g.role()).isTrue();
            }
        }
        free.forEach((agent, left) -> assertThat(allocator.available(agent)).isEqualTo(left));
    }

    /** Walks every holding on the agent down from its total: a holding that does not fit was doubled. */
    private static void assertHoldingsFitTheAgent(Allocator allocator, AgentId agent) {
        Resources left = allocator.total(agent);
        for (FrameworkId f : FRAMEWORKS) {
            for (Resources held : allocator.allocated(f, agent).values()) {
                assertThat(left.contains(held)).as("%s holds %s beyond what is left on %s", f, held, agent).isTrue();
                left = left.minus(held);
            }
        }
        assertThat(allocator.available(agent)).isEqualTo(left);
    }
}
