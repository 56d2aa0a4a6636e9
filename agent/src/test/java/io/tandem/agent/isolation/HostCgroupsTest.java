package io.tandem.agent.isolation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HostCgroupsTest {
    private static final List<String> HYBRID_MOUNTS = List.of(
            "25 30 0:23 / /sys/fs/cgroup ro,nosuid - tmpfs tmpfs ro,mode=755",
            "26 25 0:24 / /sys/fs/cgroup/unified rw,relatime shared:5 - cgroup2 cgroup2 rw",
            "28 25 0:26 / /sys/fs/cgroup/cpu,cpuacct rw,relatime shared:8 - cgroup cgroup rw,cpu,cpuacct",
            "29 25 0:27 / /sys/fs/cgroup/memory rw,relatime shared:9 - cgroup cgroup rw,memory",
            "30 25 0:28 / /sys/fs/cgroup/pids rw,relatime shared:10 - cgroup cgroup rw,pids",
            "31 25 0:29 / /sys/fs/cgroup/systemd rw,relatime shared:11 - cgroup cgroup rw,xattr,name=systemd",
            "40 30 8:1 / / rw,relatime - ext4 /dev/sda1 rw");
    private static final List<String> HYBRID_SELF = List.of(
            "5:pids:/user.slice", "4:memory:/jobs/agent", "3:cpu,cpuacct:/", "1:name=systemd:/user.slice", "0::/user.slice");

    @Test
    void hybridHostUsesV1WithEachControllerAtTheAgentsOwnCgroup() {
        HostCgroups host = HostCgroups.parse(HYBRID_MOUNTS, HYBRID_SELF, dir -> Set.of());

        assertThat(host.prefersV1()).isTrue();
        assertThat(host.v1()).containsOnly(
                java.util.Map.entry("cpu", Path.of("/sys/fs/cgroup/cpu,cpuacct")),
                java.util.Map.entry("cpuacct", Path.of("/sys/fs/cgroup/cpu,cpuacct")),
                java.util.Map.entry("memory", Path.of("/sys/fs/cgroup/memory/jobs/agent")),
                java.util.Map.entry("pids", Path.of("/sys/fs/cgroup/pids/user.slice")));
        assertThat(host.v2()).contains(Path.of("/sys/fs/cgroup/unified/user.slice"));
    }

    @Test
    void unifiedHostUsesV2WithTheControllersItOffers() {
        List<String> mounts = List.of("26 25 0:24 / /sys/fs/cgroup rw,nosuid shared:4 - cgroup2 cgroup2 rw,nsdelegate");

        HostCgroups host = HostCgroups.parse(mounts, List.of("0::/system.slice/tandem-agent.service"),
                dir -> dir.equals(Path.of("/sys/fs/cgroup/system.slice/tandem-agent.service"))
                        ? Set.of("cpu", "memory", "pids") : Set.of());

        assertThat(host.prefersV1()).isFalse();
        assertThat(host.v1()).isEmpty();
        assertThat(host.v2()).contains(Path.of("/sys/fs/cgroup/system.slice/tandem-agent.service"));
        assertThat(host.v2Controllers()).containsExactlyInAnyOrder("cpu", "memory", "pids");
    }

    @Test
    void mountOfASubtreeIsReadRelativeToItsRoot() {
        List<String> mounts = List.of("29 25 0:27 /jobs /mnt/memory rw - cgroup cgroup rw,memory");

        HostCgroups host = HostCgroups.parse(mounts, List.of("4:memory:/jobs/agent"), dir -> Set.of());

        assertThat(host.v1()).containsEntry("memory", Path.of("/mnt/memory/agent"));
    }
}
