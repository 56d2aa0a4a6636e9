package io.tandem.cli;

import io.tandem.api.MalformedMessageException;
import io.tandem.api.MesosJson;
import io.tandem.master.maintenance.MachineId;
import io.tandem.master.maintenance.MaintenanceMessages;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.maintenance.Protos.Schedule;
import org.apache.mesos.v1.master.Protos.Call;
import org.apache.mesos.v1.master.Protos.Response;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tandem maintenance}: Mesos's maintenance primitives over the operator API. {@code schedule} shows
 * or replaces the schedule (UPDATE_MAINTENANCE_SCHEDULE), {@code status} shows DRAINING machines with the
 * frameworks' answers to their inverse offers and DOWN machines, {@code start} brings machines DOWN and
 * {@code stop} brings them UP again. Machines are written {@code HOST}, {@code IP} or {@code HOST=IP}
 * ({@link MachineSpec}). A refusal by the master is printed in its own words (exit 1).
 */
@Command(name = "maintenance", mixinStandardHelpOptions = true,
        description = "Plan and carry out machine maintenance: schedule, status, start, stop.",
        subcommands = {MaintenanceCommand.ScheduleCommand.class, MaintenanceCommand.Status.class,
                MaintenanceCommand.Start.class, MaintenanceCommand.Stop.class})
final class MaintenanceCommand {

    /** The options every subcommand shares. */
    static final class MasterOption {
        @Option(names = "--master", required = true, paramLabel = "URL",
                description = "Master URL, e.g. http://127.0.0.1:5050, or zk://... (env TANDEM_MASTER).")
        String master;

        @Option(names = "--timeout", defaultValue = "10s",
                description = "How long to wait for the master (default: ${DEFAULT-VALUE}).")
        Duration timeout;
    }

    /** Sends one operator call; prints the master's refusal or failure and returns null then. */
    /** START or STOP_MAINTENANCE ({@code call}) of {@code machines}; prints {@code done} once the master took it. */
    static int changeModes(CommandSpec spec, MasterOption options, List<String> machines,
                           Function<List<Protos.MachineID>, Call> call, String done) throws InterruptedException {
        List<Protos.MachineID> ids = MachineSpec.parseAll(spec.commandLine(), machines);
        if (send(spec, options, call.apply(ids)) == null) {
            return 1;
        }
        spec.commandLine().getOut().println(done);
        return 0;
    }

    /** Prints {@code text} and flushes: picocli's writer flushes by itself only on println. */
    static void printAndFlush(CommandSpec spec, String text) {
        PrintWriter out = spec.commandLine().getOut();
        out.print(text);
        out.flush();
    }

    static String send(CommandSpec spec, MasterOption options, Call call) throws InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        MasterQuery query = MasterQuery.of(options.master, options.timeout, spec.commandLine());
        URI uri = query.atOrOwn("/api/v1");
        try {
            return query.postJson(uri, MesosJson.print(call));
        } catch (IOException e) {
            err.println(spec.qualifiedName() + ": " + call.getType() + " at " + uri + " failed: " + MasterQuery.describe(e));
            return null;
        }
    }

    static Response response(CommandSpec spec, String body) {
        try {
            return MesosJson.parse(body, Response.newBuilder()).buildPartial();
        } catch (MalformedMessageException e) {
            spec.commandLine().getErr().println(spec.qualifiedName() + ": the master's answer is not a response: "
                    + e.getMessage());
            return null;
        }
    }

    /** {@code tandem maintenance schedule}: without windows, shows the schedule; with them, replaces it. */
    @Command(name = "schedule", mixinStandardHelpOptions = true,
            description = "Show the maintenance schedule, or replace it with the windows given (or --clear it).",
            footer = {"", "Example: tandem maintenance schedule --master 127.0.0.1:5050 \\",
                    "           --machines h1,h2=10.0.0.2 --start 2030-01-01T02:00:00Z --duration 2h \\",
                    "           --machines 10.0.0.3 --start +1d",
                    "Replacing the schedule takes machines not named out of it (a DOWN machine must stay)."})
    static final class ScheduleCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        MasterOption options;

        @ArgGroup(exclusive = false, multiplicity = "0..*", heading = "A window (repeat for more):%n")
        List<WindowSpec> windows = new ArrayList<>();

        @Option(names = "--file", paramLabel = "FILE",
                description = "Replace the schedule with a Mesos maintenance Schedule in JSON ({\"windows\": [...]}).")
        Path file;

        @Option(names = "--clear", description = "Replace the schedule with an empty one.")
        boolean clear;

        @Option(names = "--json", description = "Print the master's JSON answer as it is (when showing).")
        boolean json;

        @Override
        public Integer call() throws Exception {
            int sources = (windows.isEmpty() ? 0 : 1) + (file == null ? 0 : 1) + (clear ? 1 : 0);
            if (sources > 1) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "give windows (--machines/--start), --file or --clear, not several of them");
            }
            if (sources == 0) {
                return show();
            }
            Schedule schedule = clear ? Schedule.getDefaultInstance() : file != null ? readFile() : fromWindows();
            Call call = Call.newBuilder().setType(Call.Type.UPDATE_MAINTENANCE_SCHEDULE)
                    .setUpdateMaintenanceSchedule(Call.UpdateMaintenanceSchedule.newBuilder().setSchedule(schedule)).build();
            if (send(spec, options, call) == null) {
                return 1;
            }
            int machines = schedule.getWindowsList().stream().mapToInt(w -> w.getMachineIdsCount()).sum();
            spec.commandLine().getOut().println("Schedule replaced: " + schedule.getWindowsCount() + " window(s), "
                    + machines + " machine(s) scheduled (DRAINING unless DOWN).");
            return 0;
        }

        private int show() throws InterruptedException {
            String body = send(spec, options, Call.newBuilder().setType(Call.Type.GET_MAINTENANCE_SCHEDULE).build());
            Response response = body == null ? null : response(spec, body);
            if (response == null) {
                return 1;
            }
            printAndFlush(spec, json ? body + "\n"
                    : MaintenanceReport.schedule(response.getGetMaintenanceSchedule().getSchedule()));
            return 0;
        }

        private Schedule fromWindows() {
            Schedule.Builder schedule = Schedule.newBuilder();
            for (WindowSpec window : windows) {
                List<Protos.MachineID> machines = new ArrayList<>();
                for (String machine : window.machines) {
                    machines.add(MaintenanceMessages.proto(MachineSpec.parse(spec.commandLine(), machine)));
                }
                Protos.Unavailability.Builder unavailability = Protos.Unavailability.newBuilder()
                        .setStart(Protos.TimeInfo.newBuilder().setNanoseconds(
                                MachineSpec.startNanos(spec.commandLine(), window.start)));
                if (window.duration != null) {
                    unavailability.setDuration(Protos.DurationInfo.newBuilder().setNanoseconds(window.duration.toNanos()));
                }
                schedule.addWindowsBuilder().addAllMachineIds(machines).setUnavailability(unavailability);
            }
            return schedule.build();
        }

        private Schedule readFile() throws IOException {
            try {
                return MesosJson.parse(Files.readString(file), Schedule.newBuilder()).build();
            } catch (MalformedMessageException | com.google.protobuf.UninitializedMessageException e) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--file " + file + " is not a Mesos maintenance schedule: " + e.getMessage());
            }
        }
    }

    /** One window: its machines, when it starts, how long it lasts. */
    static final class WindowSpec {
        @Option(names = "--machines", required = true, split = ",", paramLabel = "MACHINE",
                description = "Machines of the window: HOST, IP or HOST=IP, separated by commas.")
        List<String> machines;

        @Option(names = "--start", required = true, paramLabel = "WHEN",
                description = "When they become unavailable: an instant (2030-01-01T02:00:00Z), now, or +DURATION (+2h).")
        String start;

        @Option(names = "--duration", paramLabel = "DURATION",
                description = "For how long (2h, 30m, 1d); without it, for good.")
        Duration duration;
    }

    /** {@code tandem maintenance status}. */
    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Show DRAINING machines with the frameworks' answers to their inverse offers, and DOWN machines.")
    static final class Status implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        MasterOption options;

        @Option(names = "--json", description = "Print the master's JSON answer as it is.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            String body = send(spec, options, Call.newBuilder().setType(Call.Type.GET_MAINTENANCE_STATUS).build());
            Response response = body == null ? null : response(spec, body);
            if (response == null) {
                return 1;
            }
            printAndFlush(spec, json ? body + "\n"
                    : MaintenanceReport.status(response.getGetMaintenanceStatus().getStatus()));
            return 0;
        }
    }

    /** {@code tandem maintenance start MACHINE...}: DRAINING machines go DOWN. */
    @Command(name = "start", mixinStandardHelpOptions = true,
            description = "Bring scheduled machines DOWN: their agents are removed (their tasks end) and refused"
                    + " until 'stop'.")
    static final class Start implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        MasterOption options;

        @Parameters(arity = "1..*", paramLabel = "MACHINE", description = "HOST, IP or HOST=IP, as in the schedule.")
        List<String> machines;

        @Override
        public Integer call() throws Exception {
            return changeModes(spec, options, machines, ids -> Call.newBuilder().setType(Call.Type.START_MAINTENANCE)
                    .setStartMaintenance(Call.StartMaintenance.newBuilder().addAllMachines(ids)).build(),
                    "DOWN: " + String.join(", ", machines)
                            + " (their agents are removed; bring them back with 'tandem maintenance stop')");
        }
    }

    /** {@code tandem maintenance stop MACHINE...}: DOWN machines come UP and leave the schedule. */
    @Command(name = "stop", mixinStandardHelpOptions = true,
            description = "Bring DOWN machines UP again; they leave the schedule and their agents may register.")
    static final class Stop implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        MasterOption options;

        @Parameters(arity = "1..*", paramLabel = "MACHINE", description = "HOST, IP or HOST=IP, as in the schedule.")
        List<String> machines;

        @Override
        public Integer call() throws Exception {
            return changeModes(spec, options, machines, ids -> Call.newBuilder().setType(Call.Type.STOP_MAINTENANCE)
                    .setStopMaintenance(Call.StopMaintenance.newBuilder().addAllMachines(ids)).build(),
                    "UP: " + String.join(", ", machines));
        }
    }

    /** Machines as the command line writes them. */
    static final class MachineSpec {
        private MachineSpec() {}

        /** {@code HOST}, {@code IP} (four numbers) or {@code HOST=IP}; a usage error names a bad one. */
        static MachineId parse(CommandLine command, String text) {
            String value = text.strip();
            int eq = value.indexOf('=');
            try {
                if (eq >= 0) {
                    return new MachineId(value.substring(0, eq), value.substring(eq + 1));
                }
                return value.matches("[0-9.]+") ? new MachineId("", value) : new MachineId(value, "");
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(command, "machine '" + text + "': " + e.getMessage());
            }
        }

        static List<Protos.MachineID> parseAll(CommandLine command, List<String> machines) {
            return machines.stream().map(m -> MaintenanceMessages.proto(parse(command, m))).toList();
        }

        /** An ISO-8601 instant, {@code now} or {@code +DURATION}, in nanoseconds since the epoch. */
        static long startNanos(CommandLine command, String when) {
            java.time.Instant instant;
            try {
                if (when.equals("now")) {
                    instant = java.time.Instant.now();
                } else if (when.startsWith("+")) {
                    instant = java.time.Instant.now().plus(new DurationConverter().convert(when.substring(1)));
                } else {
                    instant = java.time.Instant.parse(when);
                }
            } catch (RuntimeException e) {
                throw new CommandLine.ParameterException(command, "--start '" + when
                        + "' is not a time: write an instant (2030-01-01T02:00:00Z), now, or +DURATION (+2h)");
            }
            return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
        }
    }
}
