package io.tandem.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.model.Resources;
import org.junit.jupiter.api.Test;

class LocalCommandTest {
    private final Resources machine = Resources.parse("cpus:2;mem:12000;disk:30000;ports:[31000-32000]");

    @Test
    void eachAgentGetsAnEqualShareOfScalars() {
        Resources share = Resources.parse(LocalCommand.equalShare(machine, 3, 0));

        assertThat(share.scalar("cpus")).isEqualTo(0.666);
        assertThat(share.scalar("mem")).isEqualTo(4000);
        assertThat(share.scalar("disk")).isEqualTo(10000);
    }

    @Test
    void agentsOnOneMachineGetDisjointPorts() {
        Resources first = Resources.parse(LocalCommand.equalShare(machine, 3, 0));
        Resources last = Resources.parse(LocalCommand.equalShare(machine, 3, 2));

        assertThat(first.ranges("ports").toString()).isEqualTo("[31000-31332]");
        assertThat(last.ranges("ports").toString()).isEqualTo("[31666-31998]");
    }

    @Test
    void anOperatorSpecKeepsItsScalarsAndHasItsPortsCut() {
        String spec = "cpus:1;mem:512;ports:[31000-31009,32000-32009]";
        Resources first = Resources.parse(LocalCommand.slicePorts(spec, 2, 0));
        Resources second = Resources.parse(LocalCommand.slicePorts(spec, 2, 1));

        assertThat(second.scalar("cpus")).isEqualTo(1);
        assertThat(second.scalar("mem")).isEqualTo(512);
        assertThat(first.ranges("ports").toString()).isEqualTo("[31000-31009]");
        assertThat(second.ranges("ports").toString()).isEqualTo("[32000-32009]");
    }

    @Test
    void aSpecWithoutPortsIsUsedAsGiven() {
        assertThat(LocalCommand.slicePorts("cpus:1;mem:512", 3, 2)).isEqualTo("cpus:1;mem:512");
    }
}
