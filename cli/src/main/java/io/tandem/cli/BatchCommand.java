package io.tandem.cli;

import io.tandem.frameworks.batch.BatchClient;
import io.tandem.frameworks.batch.BatchService;
import io.tandem.frameworks.batch.JobReader;
import io.tandem.frameworks.batch.JobStatus;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tandem batch}: the batch framework. {@code serve} runs the scheduler (a framework in its own
 * role, with an HTTP API); {@code submit} and {@code status} talk to that API. Submitting never starts
 * a scheduler behind the user's back: with none reachable, it says how to start one.
 */
@Command(name = "batch", mixinStandardHelpOptions = true,
        description = "Batch jobs: sets of tasks or DAGs of stages, with retries, timeouts and constraints.",
        subcommands = {BatchCommand.Serve.class, BatchCommand.Submit.class, BatchCommand.Status.class})
final class BatchCommand {
    static final String DEFAULT_SCHEDULER = "http://127.0.0.1:5060";

    /** {@code tandem batch serve}: the scheduler, until Ctrl-C (which tears the framework down). */
    @Command(name = "serve", mixinStandardHelpOptions = true,
            description = "Run the batch scheduler: subscribe with the master and serve jobs over HTTP.")
    static final class Serve implements Callable<Integer> {
        @Option(names = "--master", required = true, paramLabel = "URL",
                description = "Master URL, or several separated by commas (env TANDEM_MASTER).")
        String master;

        @Option(names = "--role", description = "Role the jobs' tasks run in (default: ${DEFAULT-VALUE}).")
        String role = "batch";

        @Option(names = "--port", description = "Port of the HTTP API; 0 for any (default: ${DEFAULT-VALUE}).")
        int port = 5060;

        @Option(names = "--bind", description = "Address the HTTP API listens on (default: ${DEFAULT-VALUE}).")
        String bind = "127.0.0.1";

        @Option(names = "--keep-finished", description = "How many ended jobs stay listed (default: ${DEFAULT-VALUE}).")
        int keepFinished = BatchService.Config.KEEP_FINISHED;

        @Option(names = "--log-level", description = "ERROR, WARN, INFO or DEBUG (default: ${DEFAULT-VALUE}).")
        String logLevel = "INFO";

        @Override
        public Integer call() throws Exception {
            Logging.setLevel(logLevel);
            List<String> masters = MasterList.split(master);
            try (BatchService batch = BatchService.start(new BatchService.Config(masters, role, bind, port, keepFinished),
                    InstantSource.system())) {
                System.out.println("Batch scheduler: " + batch.url() + "  (role " + role + ")");
                System.out.println("Try:  bin/tandem batch submit --scheduler " + batch.url() + " --wait job.yaml");
                Shutdown.awaitSignal();
                System.out.println("Stopping: tearing the batch framework down (its tasks are killed).");
            }
            return 0;
        }
    }

    /** {@code tandem batch submit FILE [--wait]}. */
    @Command(name = "submit", mixinStandardHelpOptions = true,
            description = "Submit a job file to the batch scheduler; with --wait, show progress until it ends.")
    static final class Submit implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = {"--scheduler", "--batch-scheduler"}, paramLabel = "URL", defaultValue = DEFAULT_SCHEDULER,
                description = "The batch scheduler's URL (env TANDEM_BATCH_SCHEDULER; default: ${DEFAULT-VALUE}).")
        URI scheduler;

        @Option(names = "--wait", description = "Show progress until the job ends; exit 0 if it succeeded, 1 if not.")
        boolean await;

        @Option(names = "--poll", defaultValue = "500ms", description = "How often --wait asks (default: ${DEFAULT-VALUE}).")
        Duration poll;

        @Parameters(paramLabel = "JOB.yaml", description = "The job file.")
        Path file;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            String text = read(file);
            JobReader.read(text, file.toString());   // refuse a bad file here, naming it and the line
            try (BatchClient client = new BatchClient(scheduler)) {
                JobStatus status = client.submit(text);
                out.println("Submitted job " + status.id() + " (" + status.total() + " task(s))");
                out.flush();
                if (!await) {
                    out.println("Follow it:  bin/tandem batch status " + status.id() + " --scheduler " + scheduler);
                    return 0;
                }
                return follow(client, status, out);
            } catch (IOException e) {
                spec.commandLine().getErr().println("tandem batch submit: " + e.getMessage());
                return 1;
            }
        }

        private int follow(BatchClient client, JobStatus status, PrintWriter out) throws IOException, InterruptedException {
            String last = "";
            while (true) {
                String line = BatchReport.progressBar(status);
                if (!line.equals(last)) {
                    out.println(line);
                    out.flush();
                    last = line;
                }
                if (status.ended()) {
                    BatchReport.print(status, out);
                    out.flush();
                    return status.state().equals("SUCCEEDED") ? 0 : 1;
                }
                Thread.sleep(poll.toMillis());   // a CLI's polling interval, not a test's wait
                status = client.status(status.id());
            }
        }

        private static String read(Path file) throws IOException {
            try {
                return Files.readString(file);
            } catch (NoSuchFileException e) {
                throw new IllegalArgumentException("no job file " + file);
            }
        }
    }

    /** {@code tandem batch status [JOB]}. */
    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Show a job's progress and result, or list the jobs.")
    static final class Status implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = {"--scheduler", "--batch-scheduler"}, paramLabel = "URL", defaultValue = DEFAULT_SCHEDULER,
                description = "The batch scheduler's URL (env TANDEM_BATCH_SCHEDULER; default: ${DEFAULT-VALUE}).")
        URI scheduler;

        @Parameters(arity = "0..1", paramLabel = "JOB", description = "The job id, e.g. etl-1 (default: list all jobs).")
        String job;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (BatchClient client = new BatchClient(scheduler)) {
                if (job == null) {
                    List<JobStatus> jobs = client.jobs();
                    if (jobs.isEmpty()) {
                        out.println("No jobs.");
                    }
                    jobs.forEach(j -> out.println(j.id() + "  " + j.state() + "  " + BatchReport.progressBar(j)));
                    return 0;
                }
                JobStatus status = client.status(job);
                BatchReport.print(status, out);
                return status.state().equals("FAILED") ? 1 : 0;
            } catch (IOException e) {
                spec.commandLine().getErr().println("tandem batch status: " + e.getMessage());
                return 1;
            }
        }
    }
}
