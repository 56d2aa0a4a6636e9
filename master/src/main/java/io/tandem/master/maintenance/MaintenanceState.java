package io.tandem.master.maintenance;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The maintenance schedule and which of its machines are DOWN: an immutable value, so that the
 * master loop can hand it to the registrar and to snapshots as it is. Each change is decided by a
 * method that checks the whole request first and returns the new state, or throws
 * {@link IllegalArgumentException} naming the problem, leaving this state as it was. The rules are
 * Mesos's: a machine is in at most one window; only a DRAINING machine (scheduled, not down) can be
 * brought DOWN; only a DOWN machine can be brought UP, which also takes it out of the schedule; a
 * DOWN machine cannot leave the schedule by an update.
 *
 * @param schedule the windows, in the operator's order
 * @param down the machines under maintenance, in the order they went down; each is in {@code schedule}
 */
public record MaintenanceState(List<Window> schedule, List<MachineId> down) {
    public static final MaintenanceState EMPTY = new MaintenanceState(List.of(), List.of());

    public MaintenanceState {
        schedule = List.copyOf(schedule);
        down = List.copyOf(down);
    }

    /** UPDATE_MAINTENANCE_SCHEDULE: the schedule is replaced; machines in it are DRAINING unless DOWN. */
    public MaintenanceState withSchedule(List<Window> windows) {
        Set<MachineId> seen = new HashSet<>();
        for (int i = 0; i < windows.size(); i++) {
            if (windows.get(i).machines().isEmpty()) {
                throw new IllegalArgumentException("window #" + (i + 1)
                        + ": List of machines in the maintenance window is empty");
            }
            for (MachineId machine : windows.get(i).machines()) {
                if (!seen.add(machine)) {
                    throw new IllegalArgumentException("Machine " + machine + " appears more than once in the schedule");
                }
                for (MachineId other : seen) {
                    if (other != machine && other.overlaps(machine)) {
                        throw new IllegalArgumentException("Machines " + other + " and " + machine
                                + " name the same machine (same hostname or IP); name it once in the schedule");
                    }
                }
            }
        }
        for (MachineId machine : down) {
            if (!seen.contains(machine)) {
                throw new IllegalArgumentException("Machine " + machine
                        + " is DOWN and cannot be removed from the schedule; bring it up with STOP_MAINTENANCE first");
            }
        }
        return new MaintenanceState(windows, down);
    }

    /** START_MAINTENANCE: the machines, each DRAINING now, go DOWN. */
    public MaintenanceState withDown(List<MachineId> machines) {
        requireDistinct(machines);
        for (MachineId machine : machines) {
            if (mode(machine) != MachineMode.DRAINING) {
                throw new IllegalArgumentException("Machine " + machine + " is " + mode(machine)
                        + ", not in DRAINING mode, and cannot be brought down"
                        + (mode(machine) == MachineMode.UP ? " (it is not in the maintenance schedule)" : ""));
            }
        }
        List<MachineId> newDown = new ArrayList<>(down);
        newDown.addAll(machines);
        return new MaintenanceState(schedule, newDown);
    }

    /** STOP_MAINTENANCE: the machines, each DOWN now, are UP again and leave the schedule. */
    public MaintenanceState withUp(List<MachineId> machines) {
        requireDistinct(machines);
        for (MachineId machine : machines) {
            if (mode(machine) != MachineMode.DOWN) {
                throw new IllegalArgumentException("Machine " + machine + " is " + mode(machine)
                        + ", not in DOWN mode, and cannot be brought up");
            }
        }
        List<Window> windows = new ArrayList<>();
        for (Window window : schedule) {
            List<MachineId> left = window.machines().stream().filter(m -> !machines.contains(m)).toList();
            if (!left.isEmpty()) {
                windows.add(new Window(left, window.unavailability()));
            }
        }
        return new MaintenanceState(windows, down.stream().filter(m -> !machines.contains(m)).toList());
    }

    private static void requireDistinct(List<MachineId> machines) {
        if (machines.isEmpty()) {
            throw new IllegalArgumentException("List of machines is empty");
        }
        Set<MachineId> seen = new HashSet<>();
        for (MachineId machine : machines) {
            if (!seen.add(machine)) {
                throw new IllegalArgumentException("Machine " + machine + " appears more than once in the list");
            }
        }
    }

    public MachineMode mode(MachineId machine) {
        if (down.contains(machine)) {
            return MachineMode.DOWN;
        }
        return unavailability(machine).isPresent() ? MachineMode.DRAINING : MachineMode.UP;
    }

    /** The unavailability of the window the machine is in, if it is scheduled. */
    public Optional<Unavailability> unavailability(MachineId machine) {
        return schedule.stream().filter(w -> w.machines().contains(machine)).map(Window::unavailability).findFirst();
    }

    /** The scheduled machine an agent (hostname, IP it subscribed from) runs on, if any. */
    public Optional<MachineId> machineOf(String hostname, String ip) {
        return schedule.stream().flatMap(w -> w.machines().stream()).filter(m -> m.matches(hostname, ip)).findFirst();
    }

    /** The unavailability offers on an agent (hostname, IP) carry: its machine's, while the machine is DRAINING. */
    public Optional<Unavailability> drainingUnavailability(String hostname, String ip) {
        return machineOf(hostname, ip).filter(m -> mode(m) == MachineMode.DRAINING).flatMap(this::unavailability);
    }

    /** Scheduled machines that are not DOWN, in schedule order. */
    public List<MachineId> draining() {
        return schedule.stream().flatMap(w -> w.machines().stream()).filter(m -> !down.contains(m)).toList();
    }

    /** Whether an agent (hostname, IP) runs on a DOWN machine and so may not register. */
    public boolean isDown(String hostname, String ip) {
        return down.stream().anyMatch(m -> m.matches(hostname, ip));
    }
}
