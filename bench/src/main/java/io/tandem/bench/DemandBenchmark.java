package io.tandem.bench;

import io.tandem.allocator.Allocator;
import io.tandem.allocator.Grant;
import io.tandem.allocator.TaskShape;
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
 * The shape Hadoop YARN's schedulers are measured on: {@code agents} agents of 32 cpus / 128 GB, and
 * {@code frameworks} frameworks that declare {@code tasks} tasks of {@code <1 cpu, 1 GB>} between them. One
 * measured operation runs from the declarations until every task is placed: allocation cycles, each followed
 * by the frameworks' accept logic (every granted task counted as launched, its resources kept; anything
 * granted beyond whole tasks declined). Tasks per second = tasks / time per operation. Each measured run
 * starts from a freshly built cluster.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class DemandBenchmark {
    static final Resources AGENT = Resources.parse("cpus:32;mem:131072;disk:1024;ports:[31000-32000]");
    static final Resources TASK = Resources.parse("cpus:1;mem:1024");

    @Param({"10000"})
    public int agents;

    @Param({"1", "100"})
    public int frameworks;

    @Param({"100000"})
    public int tasks;

    private Allocator allocator;

    @Setup(Level.Iteration)
    public void buildCluster() {
        allocator = new Allocator();
        Clusters.addAgents(allocator, agents, AGENT);
        Clusters.addFrameworks(allocator, frameworks, "*");
    }

    /** Returns the number of tasks launched (always {@code tasks}). */
    @Benchmark
    public long placeAll() {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        for (int i = 0; i < frameworks; i++) {
            int share = tasks / frameworks + (i < tasks % frameworks ? 1 : 0);
            allocator.declareDemand(Clusters.framework(i), "*", List.of(new TaskShape(TASK, share)));
        }
        long launched = 0;
        while (launched < tasks) {
            List<Grant> grants = allocator.allocate(now);
            if (grants.isEmpty()) {
                throw new IllegalStateException("only " + launched + " of " + tasks + " tasks fit");
            }
            for (Grant g : grants) {
                launched += accept(g);
            }
            now = now.plusSeconds(1);
        }
        return launched;
    }

    /** The framework's side: as many whole tasks as the grant holds are launched; the rest is declined. */
    private long accept(Grant g) {
        double cpus = g.resources().scalar("cpus");
        double mem = g.resources().scalar("mem");
        long count = (long) Math.min(cpus / 1.0, mem / 1024.0);
        boolean exact = g.resources().list().size() == 2 && cpus == count && mem == count * 1024.0;
        if (!exact) {
            Resources used = Resources.empty();
            for (long i = 0; i < count; i++) {
                used = used.plus(TASK);
            }
            allocator.recover(g.frameworkId(), g.agentId(), g.role(), g.resources().minus(used), Duration.ZERO,
                    Instant.EPOCH);
        }
        return count;
    }
}
