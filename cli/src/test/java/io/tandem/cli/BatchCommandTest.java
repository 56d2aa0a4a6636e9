package io.tandem.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.frameworks.batch.BatchService;
import io.tandem.testkit.InProcessCluster;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code tandem batch submit/status} against a real batch scheduler on a real in-process cluster. */
class BatchCommandTest {
    private static InProcessCluster cluster;
    private static BatchService batch;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        cluster = InProcessCluster.builder().agents(1).start();
        batch = BatchService.start(new BatchService.Config(List.of(cluster.masterUrl().toString()), "batch",
                "127.0.0.1", 0), InstantSource.system());
    }

    @AfterAll
    static void stop() {
        batch.close();
        cluster.close();
    }

    private int execute(String... args) {
        CommandLine commandLine = Main.commandLine();
        commandLine.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    @Test
    void submitWaitShowsProgressAndTheResult() throws Exception {
        Path job = Files.writeString(dir.resolve("job.yaml"), """
                name: two
                stages:
                  - {name: first, count: 2, command: "true", resources: {cpus: 0.1, mem: 32}}
                  - {name: second, depends_on: [first], command: "true", resources: {cpus: 0.1, mem: 32}}
                """);

        int code = execute("batch", "submit", "--scheduler", batch.url().toString(), "--wait", "--poll", "100ms",
                job.toString());

        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("Submitted job two-").contains("3/3 finished")
                .contains("SUCCEEDED (all 3 task(s) finished)").contains("[" + "#".repeat(BatchReport.BAR_WIDTH) + "]");
        String id = out.toString().lines().filter(l -> l.startsWith("Submitted job ")).findFirst().orElseThrow()
                .split(" ")[2];

        out.getBuffer().setLength(0);
        assertThat(execute("batch", "status", "--scheduler", batch.url().toString(), id)).isZero();
        assertThat(out.toString()).contains("Job " + id + ": SUCCEEDED").contains("second");
    }

    @Test
    void aBadJobFileIsRefusedWithItsNameAndLineBeforeAnythingIsSent() throws Exception {
        Path job = Files.writeString(dir.resolve("bad.yaml"), """
                name: bad
                stages:
                  - name: a
                    command: "true"
                    resources: {cpus: 0.1, mem: 32, gpus: 1}
                """);

        int code = execute("batch", "submit", "--scheduler", batch.url().toString(), job.toString());

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains(job + " line 5: stages[0].resources.gpus: unknown field");
        assertThat(batch.scheduler().jobs()).noneMatch(j -> j.name().equals("bad"));
    }

    @Test
    void aJobNoAgentCanRunIsRefusedByTheScheduler() throws Exception {
        Path job = Files.writeString(dir.resolve("big.yaml"), """
                name: big
                stages:
                  - {name: a, command: "true", resources: {cpus: 100, mem: 32}}
                """);

        int code = execute("batch", "submit", "--scheduler", batch.url().toString(), job.toString());

        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).contains("tandem batch submit: ").contains("stages[0] (a): resources cpus:100;mem:32 fit no agent");
    }

    @Test
    void withoutASchedulerSubmitSaysHowToStartOne() throws Exception {
        Path job = Files.writeString(dir.resolve("ok.yaml"), """
                name: ok
                stages:
                  - {name: a, command: "true", resources: {cpus: 0.1, mem: 32}}
                """);

        int code = execute("batch", "submit", "--scheduler", "http://127.0.0.1:1", job.toString());

        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).contains("no batch scheduler at http://127.0.0.1:1")
                .contains("tandem batch serve --master URL");
    }
}
