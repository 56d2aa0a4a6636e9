package io.tandem.cli;

import io.tandem.allocator.Allocator;
import io.tandem.allocator.Grant;
import io.tandem.allocator.TaskShape;
import io.tandem.allocator.UnmetDemand;
import io.tandem.allocator.sorter.Sorters;
import io.tandem.model.AgentId;
import io.tandem.model.FrameworkId;
import io.tandem.model.Resources;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Runs the real {@link Allocator} on a checked {@link Scenario}, without a cluster: agents, roles and
 * frameworks are added, demand declared, then allocation rounds run until one grants nothing. Every grant
 * counts as launched: its resources stay allocated, as the resources of running tasks do. Time is a fixed
 * start plus one second per round, so runs are reproducible. Single-threaded; one run per instance.
 */
final class Simulation {
    /** A guard against a scenario that would grant forever (none can: each grant consumes free resources). */
    static final int MAX_ROUNDS = 1000;
    private static final Instant START = Instant.parse("2025-01-01T00:00:00Z");

    /** A framework in one of its roles: one row of the final table. */
    record Member(FrameworkId framework, String role) {}

    /** One allocation round: its grants, and how many declared tasks each member got. */
    record Round(int number, List<Grant> grants, Map<Member, Integer> tasks) {}

    /**
     * Where a member ended.
     *
     * @param tasks tasks launched; -1 if it declared no demand (it got whole agents, as in Mesos)
     * @param held the scalars it holds, over all agents
     * @param unmet declared tasks it did not get
     * @param reason why not, from the allocator (empty if nothing is unmet)
     */
    record Outcome(Member member, int tasks, Resources held, List<TaskShape> unmet, String reason) {}

    private final Scenario scenario;
    private final Allocator allocator;
    private final List<Member> members = new ArrayList<>();
    private final Set<Member> declared = new LinkedHashSet<>();
    private final Map<Member, Integer> launched = new LinkedHashMap<>();
    private final List<String> warnings = new ArrayList<>();

    Simulation(Scenario scenario) {
        this.scenario = scenario;
        this.allocator = new Allocator(Sorters.byName(scenario.allocator(), scenario.fairShareResource()),
                Sorters.byName(scenario.allocator(), scenario.fairShareResource()));
        scenario.agents().forEach(a -> allocator.addAgent(AgentId.of(a.id()), Resources.parse(a.resources())));
        for (Scenario.Role role : scenario.roles()) {
            if (role.weight() != null) {
                allocator.setWeight(role.name(), role.weight());
            }
            if (role.quota() != null) {
                warnings.addAll(allocator.setQuota(role.name(), spec(role.quota().guarantee()),
                        spec(role.quota().limit())));
            }
        }
        scenario.frameworks().forEach(this::addFramework);
    }

    private void addFramework(Scenario.Framework f) {
        FrameworkId id = FrameworkId.of(f.id());
        allocator.addFramework(id, new LinkedHashSet<>(f.roles()));
        Map<String, List<TaskShape>> byRole = new LinkedHashMap<>();
        for (Scenario.Demand d : f.demand()) {
            String role = d.role() == null ? f.roles().getFirst() : d.role();
            byRole.computeIfAbsent(role, r -> new ArrayList<>()).add(TaskShape.of(d.shape(), d.count()));
        }
        byRole.forEach((role, shapes) -> {
            allocator.declareDemand(id, role, shapes);
            declared.add(new Member(id, role));
        });
        f.roles().forEach(role -> {
            members.add(new Member(id, role));
            launched.put(new Member(id, role), 0);
        });
    }

    /** Runs rounds until one grants nothing; the last round returned is that one. */
    List<Round> run() {
        List<Round> rounds = new ArrayList<>();
        for (int n = 1; n <= MAX_ROUNDS; n++) {
            Map<Member, Integer> before = remaining();
            List<Grant> grants = allocator.allocate(START.plusSeconds(n));
            Map<Member, Integer> tasks = new LinkedHashMap<>();
            remaining().forEach((m, left) -> {
                int got = before.getOrDefault(m, 0) - left;
                if (got > 0) {
                    tasks.put(m, got);
                    launched.merge(m, got, Integer::sum);
                }
            });
            rounds.add(new Round(n, grants, tasks));
            if (grants.isEmpty()) {
                break;
            }
        }
        return rounds;
    }

    /** Member -> declared tasks not granted yet. */
    private Map<Member, Integer> remaining() {
        Map<Member, Integer> out = new LinkedHashMap<>();
        for (Member m : declared) {
            int left = allocator.demand(m.framework()).getOrDefault(m.role(), List.of()).stream()
                    .mapToInt(TaskShape::count).sum();
            out.put(m, left);
        }
        return out;
    }

    /** Where every member ended, in the scenario's order; call after {@link #run()}. */
    List<Outcome> outcomes() {
        List<UnmetDemand> never = allocator.unsatisfiableDemand();
        List<Outcome> out = new ArrayList<>();
        for (Member m : members) {
            List<TaskShape> unmet = allocator.demand(m.framework()).getOrDefault(m.role(), List.of());
            out.add(new Outcome(m, declared.contains(m) ? launched.get(m) : -1, held(m), unmet,
                    unmet.isEmpty() ? "" : reason(m, never)));
        }
        return out;
    }

    /** Never satisfiable (no agent could hold a task, or above a quota limit), else why the last round skipped it. */
    private String reason(Member m, List<UnmetDemand> never) {
        Optional<String> impossible = never.stream()
                .filter(u -> u.frameworkId().equals(m.framework()) && u.role().equals(m.role()))
                .map(UnmetDemand::reason).findFirst();
        return impossible.orElseGet(() -> allocator.lastRound().refusalsFor(m.framework()).stream()
                .filter(r -> r.role().equals(m.role())).map(r -> r.reason().text()).findFirst()
                .orElse("not granted"));
    }

    Resources held(Member m) {
        Resources sum = Resources.empty();
        for (AgentId agent : allocator.allocated(m.framework()).keySet()) {
            sum = sum.plus(allocator.allocated(m.framework(), agent).getOrDefault(m.role(), Resources.empty()));
        }
        return sum;
    }

    /** Framework -> its declared demand of {@code resource} at the start: count x amount, over its shapes. */
    Map<String, Double> initialDemand(String resource) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (Scenario.Framework f : scenario.frameworks()) {
            double sum = f.demand().stream()
                    .mapToDouble(d -> d.count() * Resources.parse(d.shape()).scalar(resource)).sum();
            out.put(f.id(), sum);
        }
        return out;
    }

    Scenario scenario() {
        return scenario;
    }

    Allocator allocator() {
        return allocator;
    }

    /** Quota guarantees the cluster cannot meet, from the allocator. */
    List<String> warnings() {
        return List.copyOf(warnings);
    }

    private static Resources spec(String spec) {
        return spec == null ? Resources.empty() : Resources.parse(spec);
    }
}
