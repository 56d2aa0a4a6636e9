package io.tandem.cli;

import io.tandem.frameworks.gang.GangOutcome;
import io.tandem.frameworks.gang.GangRunner;
import io.tandem.frameworks.gang.GangSpec;
import io.tandem.sdk.ResourceNeeds;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tandem gang}: MPI-like gangs, all members at once or none. */
@Command(name = "gang", mixinStandardHelpOptions = true,
        description = "Gangs: N tasks launched together or not at all, each told every member's host:port.",
        subcommands = {GangCommand.Run.class})
final class GangCommand {

    /** {@code tandem gang run --size 8 --cpus 1 --mem 512 -- CMD}: exits 0 when every member finished. */
    @Command(name = "run", mixinStandardHelpOptions = true,
            description = "Run CMD as a gang of --size members; each gets TANDEM_GANG_MEMBERS (host:port,...),"
                    + " TANDEM_GANG_RANK, TANDEM_GANG_SIZE and PORT0.")
    static final class Run implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--master", required = true, paramLabel = "URL",
                description = "Master URL, or several separated by commas (env TANDEM_MASTER).")
        String master;

        @Option(names = "--size", required = true, description = "How many members.")
        int size;

        @Option(names = "--cpus", required = true, description = "CPUs per member.")
        double cpus;

        @Option(names = "--mem", required = true, paramLabel = "MB", description = "Memory per member in MB.")
        double mem;

        @Option(names = "--role", description = "Role to run under (default: ${DEFAULT-VALUE}).")
        String role = "gang";

        @Option(names = "--name", description = "Gang name, task id prefix (default: ${DEFAULT-VALUE}).")
        String name = "gang";

        @Option(names = "--env", paramLabel = "K=V", description = "Environment variable for the members; repeatable.")
        Map<String, String> env = new LinkedHashMap<>();

        @Option(names = "--hold-for", defaultValue = "5s",
                description = "How long to hold offers that are not enough before giving them back (default: ${DEFAULT-VALUE}).")
        Duration holdFor;

        @Option(names = "--retry-after", defaultValue = "5s",
                description = "How long given-back agents are left to others (default: ${DEFAULT-VALUE}).")
        Duration retryAfter;

        @Option(names = "--give-up-after", defaultValue = "10m",
                description = "Fail when the gang has not launched by then (default: ${DEFAULT-VALUE}).")
        Duration giveUpAfter;

        @Option(names = "--retries", description = "Launch the whole gang again this often when a member fails"
                + " before all run (default: ${DEFAULT-VALUE}).")
        int retries = 1;

        @Option(names = "--log-level", description = "ERROR, WARN, INFO or DEBUG (default: ${DEFAULT-VALUE}).")
        String logLevel = "WARN";

        @Parameters(arity = "1..*", paramLabel = "CMD", description = "The command, after --.")
        List<String> command;

        @Override
        public Integer call() throws Exception {
            Logging.setLevel(logLevel);
            PrintWriter out = spec.commandLine().getOut();
            GangSpec gang = new GangSpec(name, size, ResourceNeeds.of(cpus, mem), String.join(" ", command), env,
                    holdFor, retryAfter, giveUpAfter, retries);
            List<String> masters = MasterList.split(master);
            GangRunner runner = GangRunner.start(masters, role, gang, InstantSource.system(), line -> {
                out.println(line);
                out.flush();
            });
            Thread interrupted = new Thread(runner::close, "tandem-gang-interrupted");
            Runtime.getRuntime().addShutdownHook(interrupted);
            try {
                GangOutcome outcome = runner.finished().join();
                return outcome.succeeded() ? 0 : 1;
            } finally {
                runner.close();
                try {
                    Runtime.getRuntime().removeShutdownHook(interrupted);
                } catch (IllegalStateException e) {
                    // already shutting down: the hook is what runs now
                }
            }
        }
    }
}
