package io.tandem.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code tandem} command: the one composition root for every Tandem process. */
@Command(name = "tandem",
        mixinStandardHelpOptions = true,
        versionProvider = TandemVersion.class,
        description = "Tandem, a two-level cluster resource manager speaking the Mesos v1 HTTP API.",
        subcommands = {
            LocalCommand.class,
            MasterCommand.class,
            AgentCommand.class,
            RunCommand.class,
            StateCommand.class,
            TasksCommand.class,
            LogsCommand.class,
            RolesCommand.class,
            MaintenanceCommand.class,
            SimulateCommand.class,
            BatchCommand.class,
            GangCommand.class,
            ServiceCommand.class,
            CommandLine.HelpCommand.class,
        })
public final class Main {

    public static void main(String[] args) {
        int exitCode = commandLine().execute(args);
        if (!Shutdown.inProgress()) {
            System.exit(exitCode);
        }
    }

    /** The command tree with Tandem's conventions: TANDEM_* environment defaults, durations like "5s". */
    static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new Main());
        commandLine.setDefaultValueProvider(new EnvironmentDefaults(System.getenv()));
        commandLine.registerConverter(java.time.Duration.class, new DurationConverter());
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        // Errors name the whole command ("tandem batch submit: ..."). IllegalArgumentException is a usage
        // error (exit 2); IllegalStateException (exit 1) is a refusal by a scheduler or a failure to start.
        commandLine.setExecutionExceptionHandler((e, cmd, parseResult) -> {
            if (e instanceof IllegalArgumentException) {
                cmd.getErr().println(cmd.getCommandSpec().qualifiedName() + ": " + e.getMessage());
                return CommandLine.ExitCode.USAGE;
            }
            if (e instanceof IllegalStateException) { // could not start: a port in use, a directory not writable
                cmd.getErr().println(cmd.getCommandSpec().qualifiedName() + ": " + e.getMessage());
                return CommandLine.ExitCode.SOFTWARE;
            }
            throw e;
        });
        return commandLine;
    }
}
