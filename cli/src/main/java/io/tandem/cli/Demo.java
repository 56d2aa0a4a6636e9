package io.tandem.cli;

import io.tandem.frameworks.batch.BatchService;
import io.tandem.frameworks.batch.JobReader;
import io.tandem.frameworks.batch.JobStatus;
import io.tandem.frameworks.common.SmallHttpServer;
import io.tandem.frameworks.gang.GangRunner;
import io.tandem.frameworks.gang.GangSpec;
import io.tandem.frameworks.service.ExampleApps;
import io.tandem.frameworks.service.ServiceClient;
import io.tandem.frameworks.service.ServiceConfig;
import io.tandem.frameworks.service.ServiceScheduler;
import io.tandem.sdk.ResourceNeeds;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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
    private final ServiceScheduler service;
    private final GangRunner gang;
    private final JobStatus job;

    private Demo(BatchService batch, JobStatus job, ServiceScheduler service, GangRunner gang) {
        this.batch = batch;
        this.job = job;
        this.service = service;
        this.gang = gang;
    }

    /**
     * The demo with each scheduler's API on its default port (batch 5060, services 5070) when free, so
     * that {@code tandem batch status} and {@code tandem service status} work without flags.
     *
     * @param batchPort the batch API's port; when taken, any free one
     * @param stateDir where the service scheduler keeps its state
     */
    static Demo start(String masterUrl, int batchPort, Path stateDir, PrintStream out) {
        return start(masterUrl, batchPort, ServiceConfig.DEFAULT_PORT, stateDir, out);
    }

    /** @param servicePort the service API's port; when taken, any free one */
    static Demo start(String masterUrl, int batchPort, int servicePort, Path stateDir, PrintStream out) {
        BatchService batch = startBatch(masterUrl, batchPort);
        JobStatus job = batch.scheduler().submit(JobReader.read(resource(JOB), JOB));
        out.println("Batch:    scheduler " + batch.url() + ", job " + job.id() + " (" + job.total() + " tasks in 3 stages)");
        ServiceScheduler service = startService(masterUrl, servicePort, stateDir, out);
        GangSpec spec = new GangSpec("demo", GANG_SIZE, ResourceNeeds.of(0.1, 32),
                "echo \"member $TANDEM_GANG_RANK of $TANDEM_GANG_SIZE: $TANDEM_GANG_MEMBERS\"; exec sleep 600",
                Map.of(), Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofMinutes(10), 1);
        GangRunner gang = GangRunner.start(List.of(masterUrl), "gang", spec, InstantSource.system(), out::println);
        // The gang launches later, once offers hold all its members; its own lines say when.
        out.println("Gang:     " + GANG_SIZE + " members starting, all together or none (role gang)");
        return new Demo(batch, job, service, gang);
    }

    /**
     * The demo's service: {@code web.yaml} ({@link ExampleApps#web()}), three small HTTP servers
     * health-checked with GET / over HTTP, in role {@code services}.
     */
    private static ServiceScheduler startService(String masterUrl, int port, Path stateDir, PrintStream out) {
        ServiceConfig config = ServiceConfig.defaults(masterUrl, stateDir).withBind("127.0.0.1", port);
        ServiceScheduler service;
        try {
            service = ServiceScheduler.start(config);
        } catch (IllegalStateException portTaken) {
            service = ServiceScheduler.start(config.withBind("127.0.0.1", 0));
        }
        new ServiceClient(service.url()).deploy(ExampleApps.web(), "web.yaml");
        out.println("Service:  scheduler " + service.url() + ", app web: 3 HTTP servers checked by GET / (role services)");
        return service;
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

    ServiceScheduler service() {
        return service;
    }

    JobStatus job() {
        return job;
    }

    /** How to look at the shares, printed once everything started. */
    String howToLook(String masterUrl) {
        return String.join(System.lineSeparator(),
                "Look:     bin/tandem state --master " + masterUrl + "      (agents, frameworks, tasks)",
                "          bin/tandem roles --master " + masterUrl + "      (each role's share: batch, services, gang)",
                "          bin/tandem batch status --scheduler " + batch.url() + " " + job.id(),
                "          bin/tandem service status --scheduler " + service.url());
    }

    @Override
    public void close() throws Exception {
        gang.close();
        service.teardown();
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
