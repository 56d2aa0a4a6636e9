package io.tandem.cli;

import io.tandem.frameworks.batch.BatchService;
import io.tandem.frameworks.batch.JobReader;
import io.tandem.frameworks.batch.JobStatus;
import io.tandem.frameworks.common.SmallHttpServer;
import io.tandem.frameworks.gang.GangRunner;
import io.tandem.frameworks.gang.GangSpec;
import io.tandem.sdk.ResourceNeeds;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;

/**
 * What {@code tandem local --demo} starts on the local cluster: three frameworks sharing it, each in
 * its own role: the batch scheduler running a small DAG job (role {@code batch}), a service of three
 * small HTTP servers health-checked over HTTP (role {@code services}), and a gang of four members
 * running at once (role {@code gang}). Closing it tears the three down.
 */
final class Demo implements AutoCloseable {
    static final String JOB = "demo/batch-job.yaml";
    static final int GANG_SIZE = 4;

    private final BatchService batch;
    private final AutoCloseable service;
    private final GangRunner gang;
    private final JobStatus job;

    private Demo(BatchService batch, JobStatus job, AutoCloseable service, GangRunner gang) {
        this.batch = batch;
        this.job = job;
        this.service = service;
        this.gang = gang;
    }

    /** @param batchPort the batch API's port; when taken, any free one */
    static Demo start(String masterUrl, int batchPort, PrintStream out) {
        BatchService batch = startBatch(masterUrl, batchPort);
        JobStatus job = batch.scheduler().submit(JobReader.read(resource(JOB), JOB));
        out.println("Batch:    scheduler " + batch.url() + ", job " + job.id() + " (" + job.total() + " tasks in 3 stages)");
        AutoCloseable service = startService(masterUrl, out);
        GangSpec spec = new GangSpec("demo", GANG_SIZE, ResourceNeeds.of(0.1, 32),
                "echo \"member $TANDEM_GANG_RANK of $TANDEM_GANG_SIZE: $TANDEM_GANG_MEMBERS\"; exec sleep 600",
                Map.of(), Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofMinutes(10), 1);
        GangRunner gang = GangRunner.start(List.of(masterUrl), "gang", spec, InstantSource.system(), out::println);
        out.println("Gang:     " + GANG_SIZE + " members launched together (role gang)");
        return new Demo(batch, job, service, gang);
    }

    /**
     * THE SERVICE HOOK: starts the demo's service, 3 instances of {@link SmallHttpServer#command()}
     * health-checked with GET / over HTTP, in role {@code services}, on the scheduler of
     * {@code io.tandem.frameworks.service}. That scheduler is written on another branch; until it is
     * merged this hook starts nothing and says so.
     */
    static AutoCloseable startService(String masterUrl, PrintStream out) {
        out.println("Service:  (not wired yet) would run 3 x `" + SmallHttpServer.command() + "`, checked by GET /");
        return () -> { };
    }

    private static BatchService startBatch(String masterUrl, int port) {
        try {
            return BatchService.start(new BatchService.Config(List.of(masterUrl), "batch", "127.0.0.1", port),
                    InstantSource.system());
        } catch (IllegalStateException portTaken) {
            return BatchService.start(new BatchService.Config(List.of(masterUrl), "batch", "127.0.0.1", 0),
                    InstantSource.system());
        }
    }

    BatchService batch() {
        return batch;
    }

    GangRunner gang() {
        return gang;
    }

    JobStatus job() {
        return job;
    }

    /** How to look at the shares, printed once everything started. */
    String howToLook(String masterUrl) {
        return String.join(System.lineSeparator(),
                "Look:     bin/tandem state --master " + masterUrl + "      (agents, frameworks, tasks)",
                "          bin/tandem roles --master " + masterUrl + "      (each role's share: batch, services, gang)",
                "          bin/tandem batch status --scheduler " + batch.url() + " " + job.id());
    }

    @Override
    public void close() throws Exception {
        gang.close();
        service.close();
        batch.close();
    }

    static String resource(String name) {
        try (InputStream in = Demo.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
