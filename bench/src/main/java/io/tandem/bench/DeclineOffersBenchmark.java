package io.tandem.bench;

import io.tandem.allocator.Allocator;
import io.tandem.allocator.Grant;
import io.tandem.model.Resources;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
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
 * Mesos's {@code DeclineOffers} shape: every framework declines every offer it gets with a long filter
 * (refuse_seconds of a day). One measured operation is one allocation cycle: {@code allocate} over the whole
 * cluster, then every grant declined with the filter. Before it, {@code declinedCycles} such cycles already
 * ran (in the setup, not measured), so each agent carries that many filters and the allocator must skip
 * that many filtered frameworks on every agent. {@link #allocate} measures the allocation run alone (what
 * Mesos's benchmark reports), {@link #cycle} the run and the declines. Each measured operation starts from a
 * freshly built cluster.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class DeclineOffersBenchmark {
    static final Duration LONG_FILTER = Duration.ofDays(1);
    static final Resources AGENT = Resources.parse("cpus:16;mem:16384;disk:1024;ports:[31000-32000]");

    @Param({"10000"})
    public int agents;

    @Param({"1000"})
    public int frameworks;

    @Param({"5"})
    public int declinedCycles;

    private Allocator allocator;
    private Instant now;

    @Setup(Level.Iteration)
    public void buildCluster() {
        allocator = new Allocator();
        now = Instant.parse("2026-01-01T00:00:00Z");
        Clusters.addAgents(allocator, agents, AGENT);
        Clusters.addFrameworks(allocator, frameworks, "*");
        for (int i = 0; i < declinedCycles; i++) {
            cycle();
        }
        // The setup's garbage (a whole cluster's worth of declined offers) is not the allocator's cost: collect it
        // here, untimed, rather than in whichever measured run the collector happens to pick.
        System.gc();
    }

    /** The allocation run alone; returns the number of offers made. */
    @Benchmark
    public int allocate() {
        now = now.plusSeconds(1);
        return allocator.allocate(now).size();
    }

    /** One allocation cycle and every framework's declines; returns the number of offers made. */
    @Benchmark
    public int cycle() {
        now = now.plusSeconds(1);
        List<Grant> grants = allocator.allocate(now);
        for (Grant g : grants) {
            allocator.recover(g.frameworkId(), g.agentId(), g.role(), g.resources(), LONG_FILTER, now);
        }
        return grants.size();
    }
}
