package io.tandem.bench;

import io.tandem.allocator.Allocator;
import io.tandem.allocator.Grant;
import io.tandem.model.Resources;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Mesos's quota shape: {@code agents} agents, {@code roles} roles each with a quota (guarantee = limit = a
 * quarter of an agent) and one framework per role, without declared demand (Mesos's whole-agent offers). One
 * measured operation is the first allocation cycle on the idle cluster, which meets every guarantee. Each
 * measured cycle starts from a freshly built cluster.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class QuotaBenchmark {
    static final Resources AGENT = Resources.parse("cpus:8;mem:32768;disk:1024;ports:[31000-32000]");
    static final Resources QUOTA = Resources.parse("cpus:2;mem:8192");

    @Param({"3000"})
    public int agents;

    @Param({"3000"})
    public int roles;

    private Allocator allocator;

    @Setup(Level.Iteration)
    public void buildCluster() {
        allocator = new Allocator();
        Clusters.addAgents(allocator, agents, AGENT);
        for (int i = 0; i < roles; i++) {
            allocator.setQuota(Clusters.role(i), QUOTA, QUOTA);
            allocator.addFramework(Clusters.framework(i), Set.of(Clusters.role(i)));
        }
    }

    /** Returns the number of offers made. */
    @Benchmark
    public int cycle() {
        List<Grant> grants = allocator.allocate(Instant.parse("2026-01-01T00:00:00Z"));
        return grants.size();
    }
}
