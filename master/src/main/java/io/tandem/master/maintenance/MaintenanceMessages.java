package io.tandem.master.maintenance;

import io.tandem.master.registry.RegistryState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.maintenance.Protos.Schedule;

/**
 * Maintenance values to and from their two outside forms: Mesos's v1 messages (the operator API, offers)
 * and the registry's JSON entry. Reading either form checks every machine and window and throws
 * {@link IllegalArgumentException} naming the one that is wrong. Stateless.
 */
public final class MaintenanceMessages {
    private MaintenanceMessages() {}

    /** The windows of an UPDATE_MAINTENANCE_SCHEDULE (not yet checked against each other: see {@link MaintenanceState}). */
    public static List<Window> windows(Schedule schedule) {
        List<Window> windows = new ArrayList<>();
        for (int i = 0; i < schedule.getWindowsCount(); i++) {
            var window = schedule.getWindowsList().get(i);
            String where = "window #" + (i + 1);
            if (!window.hasUnavailability() || !window.getUnavailability().hasStart()) {
                throw new IllegalArgumentException(where + ": 'unavailability.start' is missing");
            }
            try {
                windows.add(new Window(machines(window.getMachineIdsList()), unavailability(window.getUnavailability())));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
            }
        }
        return windows;
    }

    /** The machines of a window, START_MAINTENANCE or STOP_MAINTENANCE, each checked. */
    public static List<MachineId> machines(List<Protos.MachineID> ids) {
        List<MachineId> machines = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            try {
                machines.add(new MachineId(ids.get(i).getHostname(), ids.get(i).getIp()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("machine #" + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        return machines;
    }

    static Unavailability unavailability(Protos.Unavailability proto) {
        Optional<Duration> duration = proto.hasDuration()
                ? Optional.of(Duration.ofNanos(proto.getDuration().getNanoseconds())) : Optional.empty();
        return new Unavailability(instant(proto.getStart().getNanoseconds()), duration);
    }

    public static Schedule schedule(MaintenanceState state) {
        Schedule.Builder schedule = Schedule.newBuilder();
        for (Window window : state.schedule()) {
            schedule.addWindowsBuilder().addAllMachineIds(window.machines().stream().map(MaintenanceMessages::proto).toList())
                    .setUnavailability(proto(window.unavailability()));
        }
        return schedule.build();
    }

    public static Protos.MachineID proto(MachineId machine) {
        Protos.MachineID.Builder id = Protos.MachineID.newBuilder();
        if (!machine.hostname().isEmpty()) {
            id.setHostname(machine.hostname());
        }
        if (!machine.ip().isEmpty()) {
            id.setIp(machine.ip());
        }
        return id.build();
    }

    public static Protos.Unavailability proto(Unavailability unavailability) {
        Protos.Unavailability.Builder proto = Protos.Unavailability.newBuilder()
                .setStart(Protos.TimeInfo.newBuilder().setNanoseconds(nanos(unavailability.start())));
        unavailability.duration().ifPresent(d ->
                proto.setDuration(Protos.DurationInfo.newBuilder().setNanoseconds(d.toNanos())));
        return proto.build();
    }

    /** The registry's form: machines by hostname and IP, times in nanoseconds since the epoch. */
    public static RegistryState.MaintenanceEntry entry(MaintenanceState state) {
        List<RegistryState.WindowEntry> windows = state.schedule().stream()
                .map(w -> new RegistryState.WindowEntry(w.machines().stream().map(MaintenanceMessages::entry).toList(),
                        nanos(w.unavailability().start()), w.unavailability().duration().map(Duration::toNanos).orElse(null)))
                .toList();
        return new RegistryState.MaintenanceEntry(windows, state.down().stream().map(MaintenanceMessages::entry).toList());
    }

    /** @throws IllegalArgumentException naming what in the registry's entry is not a valid maintenance state */
    public static MaintenanceState fromEntry(RegistryState.MaintenanceEntry entry) {
        List<Window> windows = new ArrayList<>();
        for (RegistryState.WindowEntry window : entry.windows()) {
            Optional<Duration> duration = Optional.ofNullable(window.durationNanos()).map(Duration::ofNanos);
            windows.add(new Window(window.machines().stream().map(MaintenanceMessages::machine).toList(),
                    new Unavailability(instant(window.startNanos()), duration)));
        }
        List<MachineId> down = entry.down().stream().map(MaintenanceMessages::machine).toList();
        // Checked as an operator's calls would be: every DOWN machine must be in the schedule.
        MaintenanceState state = MaintenanceState.EMPTY.withSchedule(windows);
        return down.isEmpty() ? state : state.withDown(down);
    }

    private static RegistryState.MachineEntry entry(MachineId machine) {
        return new RegistryState.MachineEntry(machine.hostname(), machine.ip());
    }

    private static MachineId machine(RegistryState.MachineEntry entry) {
        return new MachineId(entry.hostname(), entry.ip());
    }

    private static Instant instant(long nanos) {
        return Instant.ofEpochSecond(0, nanos);
    }

    static long nanos(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
    }
}
