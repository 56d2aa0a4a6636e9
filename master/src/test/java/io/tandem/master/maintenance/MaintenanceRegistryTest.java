package io.tandem.master.maintenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tandem.master.registry.RegistryException;
import io.tandem.master.registry.RegistryState;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The schedule and the DOWN machines in the registry's JSON. */
class MaintenanceRegistryTest {
    private static final MachineId A = new MachineId("a.example", "10.0.0.1");
    private static final MachineId B = new MachineId("b.example", "");

    private static RegistryState withMaintenance(MaintenanceState state) {
        return new RegistryState(RegistryState.FORMAT, List.of(), List.of(), Map.of(), Map.of(), List.of(),
                MaintenanceMessages.entry(state));
    }

    @Test
    void scheduleAndDownMachinesSurviveTheRegistrysJson() throws RegistryException {
        MaintenanceState state = MaintenanceState.EMPTY.withSchedule(List.of(
                new Window(List.of(A, B), new Unavailability(Instant.parse("2030-01-01T00:00:00.000000001Z"),
                        Optional.of(Duration.ofMinutes(90)))))).withDown(List.of(B));

        RegistryState read = RegistryState.fromJson(withMaintenance(state).toJson(), "a test");

        assertThat(read).isEqualTo(withMaintenance(state));
        assertThat(MaintenanceMessages.fromEntry(read.maintenance())).isEqualTo(state);
    }

    @Test
    void registryWrittenBeforeMaintenanceExistedReadsAsNoMaintenance() throws RegistryException {
        byte[] old = """
                {"version":1,"agents":[],"frameworks":[],"weights":{},"quotas":{},"gone_agents":[]}
                """.getBytes(StandardCharsets.UTF_8);

        RegistryState read = RegistryState.fromJson(old, "an old registry");

        assertThat(MaintenanceMessages.fromEntry(read.maintenance())).isEqualTo(MaintenanceState.EMPTY);
    }

    @Test
    void downMachineMissingFromTheScheduleIsRefusedNotDropped() {
        RegistryState.MaintenanceEntry broken = new RegistryState.MaintenanceEntry(List.of(),
                List.of(new RegistryState.MachineEntry("a.example", "10.0.0.1")));

        assertThatThrownBy(() -> MaintenanceMessages.fromEntry(broken))
                .hasMessageContaining("Machine 'a.example' (10.0.0.1) is UP, not in DRAINING mode");
    }
}
