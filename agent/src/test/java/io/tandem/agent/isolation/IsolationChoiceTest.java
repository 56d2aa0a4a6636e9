package io.tandem.agent.isolation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IsolationChoiceTest {
    @TempDir
    Path cgroupRoot;

    private IsolationChoice.Host v2Host(boolean root) {
        return new IsolationChoice.Host(root, true,
                new HostCgroups(Map.of(), Optional.of(cgroupRoot), Set.of("cpu", "memory", "pids")));
    }

    private static final IsolationChoice.Host BARE = new IsolationChoice.Host(false, false,
            new HostCgroups(Map.of(), Optional.empty(), Set.of()));

    @Test
    void unknownIsolatorIsRefusedByName() {
        assertThatThrownBy(() -> IsolationChoice.parse("cgroups/cpu,cgroups/gpu"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown isolator 'cgroups/gpu'")
                .hasMessageContaining("namespaces/pid");
    }

    @Test
    void posixCannotBeCombinedWithIsolators() {
        assertThatThrownBy(() -> IsolationChoice.parse("posix,cgroups/mem"))
                .hasMessageContaining("cannot be combined");
    }

    @Test
    void defaultOnAHostThatAllowsNothingIsThePosixFallbackThatStillMeasuresDisk() {
        Isolation isolation = IsolationChoice.choose(null, BARE);

        assertThat(isolation.isolates()).isFalse();
        assertThat(isolation).hasToString("posix (no isolation), disk/du");
    }

    @Test
    void askingForWhatTheHostCannotGiveIsRefusedWithTheReason() {
        assertThatThrownBy(() -> IsolationChoice.choose("cgroups/mem", BARE))
                .hasMessage("isolator 'cgroups/mem' is not available: the agent does not run as root");
    }

    @Test
    void defaultAsRootUsesEveryCgroupsIsolatorTheHostHasAndDiskButNoNamespace() {
        Isolation isolation = IsolationChoice.choose(null, v2Host(true));

        assertThat(isolation.names())
                .containsExactlyInAnyOrder("cgroups/cpu", "cgroups/mem", "cgroups/pids", "disk/du");
    }

    @Test
    void namespaceIsolatorsComeInTheirFixedOrder() {
        Isolation isolation = IsolationChoice.choose("namespaces/network,filesystem/tmp,namespaces/pid",
                new IsolationChoice.Host(true, true, BARE.cgroups(), "/usr/bin/setpriv"));

        assertThat(isolation.names()).containsExactly("namespaces/pid", "filesystem/tmp", "namespaces/network");
    }

    @Test
    void namespacesOnAKernelWithoutThemAreUnavailableWithTheReason() {
        IsolationChoice.Host noNamespaces = new IsolationChoice.Host(true, false, BARE.cgroups());
        assertThatThrownBy(() -> IsolationChoice.choose("namespaces/network", noNamespaces))
                .hasMessageContaining("'namespaces/network' is not available").hasMessageContaining("no namespaces");
    }

    @Test
    void explicitListGivesJustThoseIsolators() {
        Isolation isolation = IsolationChoice.choose("cgroups/mem,namespaces/pid", v2Host(true));

        assertThat(isolation.names()).containsExactly("cgroups/mem", "namespaces/pid");
    }

    @Test
    void v2ControllerThatCannotBeDelegatedIsUnavailableWithTheReason() throws Exception {
        java.nio.file.Files.createDirectory(cgroupRoot.resolve("cgroup.subtree_control")); // unwritable as a file

        assertThat(IsolationChoice.unavailable("cgroups/mem", v2Host(true))).get().asString()
                .contains("cannot enable the memory controller below " + cgroupRoot)
                .contains("Delegate=yes");
        assertThat(IsolationChoice.choose(null, v2Host(true)).isolates()).isFalse();
    }

    @Test
    void posixChosenExplicitlyIsolatesNothing() {
        assertThat(IsolationChoice.choose("posix", v2Host(true)).isolates()).isFalse();
    }
}
