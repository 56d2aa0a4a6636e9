package io.tandem.master.maintenance;

import java.util.List;
import java.util.Objects;

/** Machines that share one planned {@link Unavailability}. */
public record Window(List<MachineId> machines, Unavailability unavailability) {
    public Window {
        machines = List.copyOf(machines);
        Objects.requireNonNull(unavailability, "unavailability");
    }
}
