package io.tandem.agent.isolation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Stream;
import org.apache.mesos.v1.Protos.TaskStatus.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cgroups v2 against a temporary directory laid out like /sys/fs/cgroup (this host is v1). */
class CgroupsV2IsolatorTest {
    @TempDir
    Path base;

    private CgroupsV2Isolator isolator() {
        return new CgroupsV2Isolator(base, EnumSet.allOf(CgroupController.class));
    }

    @Test
    void prepareEnablesControllersDownToTheContainerAndWritesItsLimits() throws IOException {
        Container container = new Container("agent-1/fw.t1", new Limits(0.5, 0.5, 64L << 20, 20));
        Files.writeString(base.resolve("cgroup.subtree_control"), "");

        isolator().prepare(container);

        Path dir = base.resolve("tandem/agent-1/fw.t1");
        assertThat(container.cgroups()).containsExactly(dir);
        for (Path level : List.of(base, base.resolve("tandem"), base.resolve("tandem/agent-1"))) {
            assertThat(level.resolve("cgroup.subtree_control")).hasContent("+cpu +memory +pids");
        }
        assertThat(dir.resolve("cpu.weight")).hasContent("50");
        assertThat(dir.resolve("cpu.max")).hasContent("50000 100000");
        assertThat(dir.resolve("memory.max")).hasContent(Long.toString(64L << 20));
        assertThat(dir.resolve("pids.max")).hasContent("20");
    }

    @Test
    void cpuWeightIsOneHundredPerCpuWithinTheKernelsRange() throws IOException {
        Container big = new Container("a/big", new Limits(200, 0, 0, 0));
        Container tiny = new Container("a/tiny", new Limits(0.001, 0, 0, 0));

        isolator().prepare(big);
        isolator().prepare(tiny);

        assertThat(base.resolve("tandem/a/big/cpu.weight")).hasContent("10000");
        assertThat(base.resolve("tandem/a/tiny/cpu.weight")).hasContent("1");
        assertThat(base.resolve("tandem/a/big/cpu.max")).doesNotExist();
        assertThat(base.resolve("tandem/a/big/memory.max")).doesNotExist();
    }

    @Test
    void oomKillInMemoryEventsIsAMemoryLimitation() throws IOException {
        Container container = new Container("a/t", new Limits(1, 0, 64L << 20, 0));
        isolator().prepare(container);
        Path dir = base.resolve("tandem/a/t");
        Files.writeString(dir.resolve("memory.events"), "low 0\nhigh 0\nmax 12\noom 1\noom_kill 1\n");
        Files.writeString(dir.resolve("memory.peak"), Long.toString(64L << 20));

        Limitation limitation = isolator().limitation(container).orElseThrow();

        assertThat(limitation.reason()).isEqualTo(Reason.REASON_CONTAINER_LIMITATION_MEMORY);
        assertThat(limitation.message()).startsWith("Memory limit exceeded").contains("64 MB of its 64 MB limit");
    }

    @Test
    void noOomKillIsNoLimitation() throws IOException {
        Container container = new Container("a/t", new Limits(1, 0, 64L << 20, 0));
        isolator().prepare(container);
        Files.writeString(base.resolve("tandem/a/t/memory.events"), "oom 0\noom_kill 0\n");

        assertThat(isolator().limitation(container)).isEmpty();
    }

    @Test
    void theProcessJoinsTheContainersCgroupBeforeItsCommandRuns() throws IOException {
        Container container = new Container("a/t", Limits.none());
        Isolation isolation = new Isolation(List.of(isolator()));
        assertThat(isolation.confinement(container).cgroupProcs()).isEmpty(); // nothing to join before prepare
        isolator().prepare(container);

        assertThat(isolation.confinement(container).cgroupProcs())
                .containsExactly(base.resolve("tandem/a/t/cgroup.procs"));
    }

    @Test
    void cleanupRemovesTheContainersCgroupAndTheGroupOnceEmpty() throws IOException {
        Container container = new Container("a/t", new Limits(1, 0, 0, 0));
        isolator().prepare(container);
        Path dir = base.resolve("tandem/a/t");
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                Files.delete(file); // the kernel's control files vanish with the directory; ours must go first
            }
        }

        isolator().cleanup(container);
        Files.delete(base.resolve("tandem/a/cgroup.subtree_control"));
        isolator().removeGroup("a");

        assertThat(dir).doesNotExist();
        assertThat(base.resolve("tandem/a")).doesNotExist();
        assertThat(base.resolve("tandem")).exists();
    }
}
