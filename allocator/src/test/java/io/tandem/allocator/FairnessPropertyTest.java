package io.tandem.allocator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.tandem.allocator.sorter.MaxMinSorter;
import io.tandem.allocator.sorter.WaterFilling;
import io.tandem.model.AgentId;
import io.tandem.model.FrameworkId;
import io.tandem.model.Resource;
import io.tandem.model.Resources;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Random small clusters with weights, quota and declared demand: the invariants hold after every round,
 * and the outcomes equal straightforward reference implementations of DRF progressive filling and
 * max-min water-filling.
 */
class FairnessPropertyTest {
    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    private static final List<String> ROLES = List.of("*", "eng", "eng/prod", "ops");

    record Agent(int cpus, int mem, int reservedCpus, String reservedFor) {
        Resources total() {
            String spec = "cpus:" + cpus + ";mem:" + mem + ";ports:[31000-31009]";
            return Resources.parse(reservedCpus == 0 ? spec : spec + ";cpus(" + reservedFor + "):" + reservedCpus);
        }
    }

    record Fw(String role, int cpus, int mem, int count, boolean declares) {}

    record Cluster(List<Agent> agents, List<Fw> frameworks, int engLimit, int opsGuarantee, int weight) {}

    @Provide
    Arbitrary<Cluster> clusters() {
        Arbitrary<Agent> agent = Combinators.combine(Arbitraries.integers().between(1, 16),
                Arbitraries.integers().between(1, 16).map(m -> m * 512), Arbitraries.integers().between(0, 4),
                Arbitraries.of("eng", "eng/prod", "ops")).as(Agent::new);
        Arbitrary<Fw> framework = Combinators.combine(Arbitraries.of(ROLES), Arbitraries.integers().between(1, 6),
                Arbitraries.integers().between(1, 8).map(m -> m * 256), Arbitraries.integers().between(0, 12),
                Arbitraries.of(true, true, false)).as(Fw::new);
        return Combinators.combine(agent.list().ofMinSize(1).ofMaxSize(4), framework.list().ofMinSize(1).ofMaxSize(4),
                Arbitraries.integers().between(0, 20), Arbitraries.integers().between(0, 10),
                Arbitraries.integers().between(1, 3)).as(Cluster::new);
    }

    private static FrameworkId fw(int i) {
        return FrameworkId.of("f" + i);
    }

    private static Allocator build(Cluster cluster) {
        Allocator allocator = new Allocator();
        for (int i = 0; i < cluster.agents().size(); i++) {
            allocator.addAgent(AgentId.of("a" + i), cluster.agents().get(i).total());
        }
        if (cluster.engLimit() > 0) {
            allocator.setQuota("eng", Resources.empty(), Resources.parse("cpus:" + cluster.engLimit()));
        }
        if (cluster.opsGuarantee() > 0) {
            allocator.setQuota("ops", Resources.parse("cpus:" + cluster.opsGuarantee()), Resources.empty());
        }
        allocator.setWeight("ops", cluster.weight());
        for (int i = 0; i < cluster.frameworks().size(); i++) {
            Fw f = cluster.frameworks().get(i);
            allocator.addFramework(fw(i), Set.of(f.role()));
            if (f.declares() && f.count() > 0) {
                allocator.declareDemand(fw(i), f.role(), List.of(TaskShape.of("cpus:" + f.cpus() + ";mem:" + f.mem(),
                        f.count())));
            }
        }
        return allocator;
    }

    @Property(seed = "20250102", tries = 300)
    void grantsStayWithinAgentsReservationsQuotaAndDemand(@ForAll("clusters") Cluster cluster) {
        Allocator allocator = build(cluster);
        for (int round = 0; round < 3; round++) {
            List<Grant> grants = allocator.allocate(T0);
            Map<AgentId, Resources> granted = new TreeMap<>();
            for (Grant g : grants) {
                granted.merge(g.agentId(), g.resources(), Resources::plus);
                for (Resource r : g.resources().list()) {
                    assertThat(RoleTree.isWithin(g.role(), r.role()) || !r.isReserved())
                            .as("%s reserved for %s granted to role %s", r, r.role(), g.role()).isTrue();
                }
                Fw f = cluster.frameworks().get(Integer.parseInt(g.frameworkId().value().substring(1)));
                if (f.declares() && f.count() > 0) {
                    double tasks = g.resources().scalar("cpus") / f.cpus();
                    assertThat(tasks).isEqualTo(Math.rint(tasks));
                    assertThat(g.resources().scalar("mem")).isEqualTo(tasks * f.mem());
                }
            }
            for (AgentId agent : allocator.agents()) {
                Resources held = Resources.empty();
                long ports = 0;   // a port held twice would vanish in the union, so count them one by one
                for (FrameworkId f : allocator.frameworks()) {
                    Resources mine = allocator.allocated(f).getOrDefault(agent, Resources.empty());
                    held = held.plus(mine);
                    ports += mine.ranges("ports").size();
                }
                assertThat(held.ranges("ports").size()).isEqualTo(ports);
                assertThat(allocator.total(agent).contains(held)).as("agent %s holds %s", agent, held).isTrue();
                assertThat(held.plus(allocator.available(agent))).isEqualTo(allocator.total(agent));
            }
            if (cluster.engLimit() > 0) {
                assertThat(cpusOfSubtree(allocator, cluster, "eng")).isLessThanOrEqualTo(cluster.engLimit());
            }
            recoverSome(allocator, grants, round);
            reserveSome(allocator, ROLES.get(1 + round % 3));
        }
    }

    /** Reserves one free unreserved cpu on every agent that has one, for the role. */
    private static void reserveSome(Allocator allocator, String role) {
        for (AgentId agent : allocator.agents()) {
            if (allocator.available(agent).unreserved().scalar("cpus") >= 1) {
                double before = allocator.total(agent).scalar("cpus");
                allocator.updateAvailable(agent, Resources.parse("cpus:1"), Resources.parse("cpus(" + role + "):1"));
                assertThat(allocator.total(agent).scalar("cpus")).isEqualTo(before);
            }
        }
    }

    @Property(seed = "20250105", tries = 300)
    void aGuaranteeIsMetWhenTheClusterCanMeetIt(@ForAll("clusters") Cluster cluster, @ForAll boolean opsDeclares) {
        Allocator allocator = build(cluster);
        FrameworkId ops = FrameworkId.of("ops-fw");
        allocator.addFramework(ops, Set.of("ops"));
        if (opsDeclares) {
            allocator.declareDemand(ops, "ops", List.of(TaskShape.of("cpus:1;mem:1", 1000)));
        }
        allocator.allocate(T0);

        double usableByOps = allocator.agents().stream().mapToDouble(a -> allocator.total(a).usableBy("ops")
                .scalar("cpus")).sum();
        double opsCpus = cpusOfSubtree(allocator, cluster, "ops")
                + allocator.allocated(ops).values().stream().mapToDouble(r -> r.scalar("cpus")).sum();
        assertThat(opsCpus).isGreaterThanOrEqualTo(Math.min(cluster.opsGuarantee(), Math.floor(usableByOps)));
    }

    private static double cpusOfSubtree(Allocator allocator, Cluster cluster, String role) {
        double sum = 0;
        for (int i = 0; i < cluster.frameworks().size(); i++) {
            if (RoleTree.isWithin(cluster.frameworks().get(i).role(), role)) {
                sum += allocator.allocated(fw(i)).values().stream().mapToDouble(r -> r.scalar("cpus")).sum();
            }
        }
        return sum;
    }

    private static void recoverSome(Allocator allocator, List<Grant> grants, int round) {
        for (int i = round % 2; i < grants.size(); i += 2) {
            Grant g = grants.get(i);
            allocator.recover(g.frameworkId(), g.agentId(), g.role(), g.resources(), Duration.ZERO, T0);
        }
    }

    /** One task shape per framework, everyone in role "*", integer amounts so shares compare exactly. */
    record Shape(int cpus, int mem, int count) {}

    @Property(seed = "20250103", tries = 300)
    void drfProgressiveFillingMatchesAReferenceImplementation(
            @ForAll @Size(min = 1, max = 3) List<@IntRange(min = 1, max = 24) Integer> agentCpus,
            @ForAll("shapes") List<Shape> shapes) {
        Allocator allocator = new Allocator();
        List<int[]> free = new ArrayList<>();   // per agent: cpus, mem
        for (int i = 0; i < agentCpus.size(); i++) {
            allocator.addAgent(AgentId.of("a" + i), Resources.parse("cpus:" + agentCpus.get(i) + ";mem:"
                    + agentCpus.get(i) * 1024));
            free.add(new int[] {agentCpus.get(i), agentCpus.get(i) * 1024});
        }
        for (int i = 0; i < shapes.size(); i++) {
            allocator.addFramework(fw(i), Set.of("*"));
            allocator.declareDemand(fw(i), "*", List.of(TaskShape.of("cpus:" + shapes.get(i).cpus() + ";mem:"
                    + shapes.get(i).mem(), shapes.get(i).count())));
        }
        allocator.allocate(T0);

        int[][] expected = referenceDrf(free, shapes);
        for (int i = 0; i < shapes.size(); i++) {
            for (int a = 0; a < free.size(); a++) {
                Resources held = allocator.allocated(fw(i)).getOrDefault(AgentId.of("a" + a), Resources.empty());
                assertThat(held.scalar("cpus")).as("f%d on a%d", i, a).isEqualTo(expected[i][a] * shapes.get(i).cpus());
            }
        }
    }

    @Provide
    Arbitrary<List<Shape>> shapes() {
        return Combinators.combine(Arbitraries.integers().between(1, 8), Arbitraries.integers().between(1, 16)
                .map(m -> m * 512), Arbitraries.integers().between(0, 10)).as(Shape::new).list().ofMinSize(1).ofMaxSize(4);
    }

    /** Tasks per (framework, agent): lowest dominant share with a task that fits goes next, first agent it fits. */
    private static int[][] referenceDrf(List<int[]> free, List<Shape> shapes) {
        double totalCpus = free.stream().mapToInt(f -> f[0]).sum();
        double totalMem = free.stream().mapToInt(f -> f[1]).sum();
        int[][] tasks = new int[shapes.size()][free.size()];
        int[] left = shapes.stream().mapToInt(Shape::count).toArray();
        double[] cpus = new double[shapes.size()];
        double[] mem = new double[shapes.size()];
        boolean[] done = new boolean[shapes.size()];
        while (true) {
            int best = -1;
            for (int i = 0; i < shapes.size(); i++) {
                if (!done[i] && (best < 0 || share(cpus[i], mem[i], totalCpus, totalMem)
                        < share(cpus[best], mem[best], totalCpus, totalMem))) {
                    best = i;
                }
            }
            if (best < 0) {
                return tasks;
            }
            Shape s = shapes.get(best);
            int agent = -1;
            for (int a = 0; a < free.size() && left[best] > 0 && agent < 0; a++) {
                agent = free.get(a)[0] >= s.cpus() && free.get(a)[1] >= s.mem() ? a : -1;
            }
            if (agent < 0) {
                done[best] = true;
                continue;
            }
            free.get(agent)[0] -= s.cpus();
            free.get(agent)[1] -= s.mem();
            cpus[best] += s.cpus();
            mem[best] += s.mem();
            left[best]--;
            tasks[best][agent]++;
        }
    }

    private static double share(double cpus, double mem, double totalCpus, double totalMem) {
        return Math.max(cpus / totalCpus, mem / totalMem);
    }

    @Property(seed = "20250104", tries = 300)
    void maxMinProgressiveFillingEndsWhereWaterFillingDoes(
            @ForAll @IntRange(min = 1, max = 60) int capacity,
            @ForAll @Size(min = 1, max = 5) List<@IntRange(min = 0, max = 40) Integer> demands) {
        Allocator allocator = new Allocator(new MaxMinSorter(), new MaxMinSorter());
        allocator.addAgent(AgentId.of("a0"), Resources.parse("cpus:" + capacity + ";mem:100000"));
        Map<String, Double> wanted = new TreeMap<>();
        for (int i = 0; i < demands.size(); i++) {
            allocator.addFramework(fw(i), Set.of("*"));
            // in tasks of 0.5 cpus; a count of 0 still declares (wants nothing), unlike declaring no demand at all
            allocator.declareDemand(fw(i), "*", List.of(TaskShape.of("cpus:0.5", demands.get(i))));
            wanted.put(fw(i).value(), demands.get(i) * 0.5);
        }
        allocator.allocate(T0);

        Map<String, Double> fair = WaterFilling.of(capacity, wanted).shares();
        double total = 0;
        for (int i = 0; i < demands.size(); i++) {
            double got = allocator.allocated(fw(i)).values().stream().mapToDouble(r -> r.scalar("cpus")).sum();
            total += got;
            assertThat(got).as("f%d", i).isCloseTo(fair.get(fw(i).value()), within(0.5));
            assertThat(got).isLessThanOrEqualTo(wanted.get(fw(i).value()));
        }
        assertThat(total).isEqualTo(Math.min(capacity, wanted.values().stream().mapToDouble(d -> d).sum()));
    }
}
