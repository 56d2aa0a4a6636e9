package io.tandem.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.testkit.InProcessCluster;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code tandem gang run} on a real in-process cluster (one agent, 2 cpus). */
class GangCommandTest {
    private static InProcessCluster cluster;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeAll
    static void start() {
        cluster = InProcessCluster.builder().agents(1).start();
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    private int execute(String... args) {
        CommandLine commandLine = Main.commandLine();
        commandLine.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    @Test
    void aGangThatFitsRunsAllItsMembersAndExitsZero() {
        int code = execute("gang", "run", "--master", cluster.masterUrl().toString(), "--size", "3", "--cpus", "0.1",
                "--mem", "32", "--", "test \"$TANDEM_GANG_SIZE\" = 3");

        assertThat(code).as(out + "\n" + err).isZero();
        assertThat(out.toString()).contains("launching all 3 members").contains("succeeded: all 3 members finished");
    }

    @Test
    void aGangTheClusterCanNeverHoldExitsOneSayingWhy() {
        int code = execute("gang", "run", "--master", cluster.masterUrl().toString(), "--size", "3", "--cpus", "1",
                "--mem", "32", "--", "true");

        assertThat(code).isEqualTo(1);
        assertThat(out.toString()).contains("can never fit").contains("at most 2 such member(s)");
    }

    @Test
    void aBadSizeIsAUsageError() {
        int code = execute("gang", "run", "--master", cluster.masterUrl().toString(), "--size", "0", "--cpus", "1",
                "--mem", "32", "--", "true");

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("--size must be at least 1, got 0");
    }
}
