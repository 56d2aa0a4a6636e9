package io.tandem.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.master.Master;
import io.tandem.master.MasterConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code tandem maintenance} against a real master on an ephemeral port. */
class MaintenanceCommandTest {
    @TempDir
    Path dir;
    private Master master;
    private StringWriter out;
    private StringWriter err;

    @BeforeEach
    void startMaster() {
        master = Master.start(MasterConfig.defaults(dir.resolve("master")).withBind("127.0.0.1", 0), Clock.systemUTC());
    }

    @AfterEach
    void stopMaster() {
        master.close();
    }

    private int tandem(String... args) {
        out = new StringWriter();
        err = new StringWriter();
        CommandLine commandLine = Main.commandLine();
        commandLine.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
        String[] all = new String[args.length + 2];
        all[0] = "maintenance";
        all[1] = args[0];
        all[2] = "--master=" + master.url();
        System.arraycopy(args, 1, all, 3, args.length - 1);
        return commandLine.execute(all);
    }

    @Test
    void scheduleStartAndStopAMachineAsAnOperatorWould() {
        assertThat(tandem("schedule", "--machines", "h1,10.0.0.3", "--start", "2030-01-01T00:00:00Z",
                "--duration", "2h")).isZero();
        assertThat(out.toString()).contains("Schedule replaced: 1 window(s), 2 machine(s)");

        assertThat(tandem("schedule")).isZero();
        assertThat(out.toString()).contains("Maintenance schedule").containsPattern("1\\s+h1\\s+2030-01-01 00:00:00Z\\s+2h")
                .containsPattern("1\\s+10.0.0.3\\s+2030-01-01 00:00:00Z\\s+2h");

        assertThat(tandem("start", "h1")).isZero();
        assertThat(tandem("status")).isZero();
        assertThat(out.toString()).containsPattern("h1\\s+DOWN").containsPattern("10.0.0.3\\s+DRAINING");

        assertThat(tandem("stop", "h1")).isZero();
        assertThat(out.toString()).contains("UP: h1");
        assertThat(tandem("schedule")).isZero();
        assertThat(out.toString()).contains("10.0.0.3").doesNotContain("h1");
    }

    @Test
    void masterRefusalIsPrintedInItsWordsAndExitsOne() {
        tandem("schedule", "--machines", "h1", "--start", "now");

        assertThat(tandem("start", "h2")).isEqualTo(1);
        assertThat(err.toString()).contains("START_MAINTENANCE", "400", "Machine 'h2' is UP, not in DRAINING mode");
        assertThat(tandem("stop", "h1")).isEqualTo(1);
        assertThat(err.toString()).contains("Machine 'h1' is DRAINING, not in DOWN mode");
    }

    @Test
    void malformedMachinesAndTimesAreUsageErrorsNamingThem() {
        assertThat(tandem("start", "10.0.0.300")).isEqualTo(2);
        assertThat(err.toString()).contains("machine '10.0.0.300'", "invalid IPv4 address");
        assertThat(tandem("schedule", "--machines", "h1", "--start", "tomorrow")).isEqualTo(2);
        assertThat(err.toString()).contains("--start 'tomorrow' is not a time");
        assertThat(tandem("schedule", "--machines", "h1")).isEqualTo(2);
        assertThat(err.toString()).contains("--start");
        assertThat(tandem("schedule")).isZero();
        assertThat(out.toString()).contains("(none)");
    }

    @Test
    void scheduleFromAMesosJsonFileAndClear() throws IOException {
        Path file = dir.resolve("schedule.json");
        Files.writeString(file, """
                {"windows": [{"machine_ids": [{"hostname": "h9", "ip": "10.0.0.9"}],
                              "unavailability": {"start": {"nanoseconds": 1893456000000000000}}}]}
                """);

        assertThat(tandem("schedule", "--file", file.toString())).isZero();
        assertThat(tandem("status")).isZero();
        assertThat(out.toString()).containsPattern("h9=10.0.0.9\\s+DRAINING");
        assertThat(tandem("schedule", "--clear")).isZero();
        assertThat(tandem("status")).isZero();
        assertThat(out.toString()).contains("(none)");
    }
}
