package io.tandem.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code tandem agent} refuses bad flags by their names before it starts anything. */
class AgentCommandTest {
    private final StringWriter err = new StringWriter();

    @TempDir
    Path dir;

    private int agent(String... flags) {
        CommandLine commandLine = Main.commandLine();
        commandLine.setOut(new PrintWriter(new StringWriter(), true)).setErr(new PrintWriter(err, true));
        String[] all = new String[flags.length + 5];
        all[0] = "agent";
        all[1] = "--master";
        all[2] = "127.0.0.1:1";
        all[3] = "--work-dir";
        all[4] = dir.resolve("agent").toString();
        System.arraycopy(flags, 0, all, 5, flags.length);
        return commandLine.execute(all);
    }

    @Test
    void aDiskWatchIntervalOfZeroIsRefusedByItsFlagName() {
        assertThat(agent("--disk-watch-interval", "0s")).isEqualTo(2);
        assertThat(err.toString()).contains("--disk-watch-interval must be positive, got 0ms");
        assertThat(dir.resolve("agent")).doesNotExist();
    }

    @Test
    void aLogSizeWithoutAUnitIsRefusedByItsFlagName() {
        assertThat(agent("--sandbox-log-max-size", "10XB")).isEqualTo(2);
        assertThat(err.toString()).contains("--sandbox-log-max-size '10XB' is not a size");
        assertThat(dir.resolve("agent")).doesNotExist();
    }

    @Test
    void aReregistrationTimeoutOfZeroIsRefusedByItsFlagName() {
        assertThat(agent("--executor-reregistration-timeout", "0s")).isEqualTo(2);
        assertThat(err.toString()).contains("--executor-reregistration-timeout must be positive, got 0ms");
        assertThat(dir.resolve("agent")).doesNotExist();
    }
}
