package io.tandem.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

class EnvironmentDefaultsTest {

    @Command(name = "probe")
    static final class Probe {
        @Option(names = "--work-dir") String workDir;
        @Option(names = "--port") int port = 5050;
    }

    @Test
    void namesVariablesAfterTheLongOption() {
        assertThat(EnvironmentDefaults.variableFor("--work-dir")).isEqualTo("TANDEM_WORK_DIR");
    }

    @Test
    void environmentFillsOptionsThatTheCommandLineLeavesOut() {
        Probe probe = new Probe();
        new CommandLine(probe)
                .setDefaultValueProvider(new EnvironmentDefaults(Map.of("TANDEM_WORK_DIR", "/var/tandem", "TANDEM_PORT", "6060")))
                .parseArgs("--port", "7070");

        assertThat(probe.workDir).isEqualTo("/var/tandem");
        assertThat(probe.port).isEqualTo(7070);
    }

    @Test
    void optionDefaultStandsWithoutEnvironment() {
        Probe probe = new Probe();
        new CommandLine(probe).setDefaultValueProvider(new EnvironmentDefaults(Map.of())).parseArgs();

        assertThat(probe.port).isEqualTo(5050);
    }
}
