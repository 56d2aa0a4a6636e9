package io.tandem.master.maintenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The maintenance state machine: UP -> DRAINING (scheduled) -> DOWN (started) -> UP (stopped), with Mesos's checks. */
class MaintenanceStateTest {
    private static final MachineId A = new MachineId("a.example", "10.0.0.1");
    private static final MachineId B = new MachineId("b.example", "");
    private static final MachineId C = new MachineId("", "10.0.0.3");
    private static final Unavailability SOON = new Unavailability(Instant.parse("2030-01-01T00:00:00Z"),
            Optional.of(Duration.ofHours(1)));
    private static final Unavailability LATER = new Unavailability(Instant.parse("2030-02-01T00:00:00Z"),
            Optional.empty());

    private static Window window(Unavailability when, MachineId... machines) {
        return new Window(List.of(machines), when);
    }

    @Test
    void scheduledMachinesAreDrainingAndOthersUp() {
        MaintenanceState state = MaintenanceState.EMPTY.withSchedule(List.of(window(SOON, A, B), window(LATER, C)));

        assertThat(state.mode(A)).isEqualTo(MachineMode.DRAINING);
        assertThat(state.mode(C)).isEqualTo(MachineMode.DRAINING);
        assertThat(state.mode(new MachineId("z", ""))).isEqualTo(MachineMode.UP);
        assertThat(state.unavailability(C)).contains(LATER);
        assertThat(state.draining()).containsExactly(A, B, C);
    }

    @Test
    void machineInTwoWindowsIsRefusedByName() {
        assertThatThrownBy(() -> MaintenanceState.EMPTY.withSchedule(List.of(window(SOON, A), window(LATER, B, A))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Machine 'a.example' (10.0.0.1) appears more than once in the schedule");
    }

    @Test
    void twoNamesOfOneMachineAreRefusedByName() {
        MachineId byName = new MachineId("a.example", "");

        assertThatThrownBy(() -> MaintenanceState.EMPTY.withSchedule(List.of(window(SOON, A), window(LATER, byName))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Machines 'a.example' (10.0.0.1) and 'a.example' name the same machine (same hostname or IP);"
                        + " name it once in the schedule");
    }

    @Test
    void windowWithoutMachinesIsRefused() {
        assertThatThrownBy(() -> MaintenanceState.EMPTY.withSchedule(List.of(window(SOON, A), window(LATER))))
                .hasMessageContaining("window #2").hasMessageContaining("empty");
    }

    @Test
    void startOfUnscheduledMachineIsRefused() {
        MaintenanceState state = MaintenanceState.EMPTY.withSchedule(List.of(window(SOON, A)));

        assertThatThrownBy(() -> state.withDown(List.of(A, B)))
                .hasMessageContaining("Machine 'b.example' is UP, not in DRAINING mode")
                .hasMessageContaining("not in the maintenance schedule");
        assertThat(state.down()).isEmpty();
    }

    @Test
    void startMovesDrainingMachinesDownAndTwiceIsRefused() {
        MaintenanceState down = MaintenanceState.EMPTY.withSchedule(List.of(window(SOON, A, B))).withDown(List.of(A));

        assertThat(down.mode(A)).isEqualTo(MachineMode.DOWN);
        assertThat(down.mode(B)).isEqualTo(MachineMode.DRAINING);
        assertThat(down.draining()).containsExactly(B);
        assertThatThrownBy(() -> down.withDown(List.of(A))).hasMessageContaining("is DOWN, not in DRAINING mode");
    }

    @Test
    void stopOfMachineNotDownIsRefused() {
        MaintenanceState state = MaintenanceState.EMPTY.withSchedule(List.of(window(SOON, A)));

        assertThatThrownBy(() -> state.withUp(List.of(A)))
                .hasMessage("Machine 'a.example' (10.0.0.1) is DRAINING, not in DOWN mode, and cannot be brought up");
    }

    @Test
    void stopBringsMachineUpAndTakesItOutOfTheSchedule() {
        MaintenanceState state = MaintenanceState.EMPTY.withSchedule(List.of(window(SOON, A), window(LATER, B, C)))
                .withDown(List.of(A, C));

        MaintenanceState up = state.withUp(List.of(A, C));

        assertThat(up.mode(A)).isEqualTo(MachineMode.UP);
        assertThat(up.down()).isEmpty();
        assertThat(up.schedule()).containsExactly(window(LATER, B));
    }

    @Test
    void downMachineCannotLeaveTheScheduleByAnUpdate() {
        MaintenanceState state = MaintenanceState.EMPTY.withSchedule(List.of(window(SOON, A, B))).withDown(List.of(A));

        assertThatThrownBy(() -> state.withSchedule(List.of(window(SOON, B))))
                .hasMessageContaining("Machine 'a.example' (10.0.0.1) is DOWN and cannot be removed from the schedule");
        assertThat(state.withSchedule(List.of(window(LATER, A))).mode(A)).isEqualTo(MachineMode.DOWN);
    }

    @Test
    void emptyOrRepeatedMachineListsAreRefused() {
        MaintenanceState state = MaintenanceState.EMPTY.withSchedule(List.of(window(SOON, A)));

        assertThatThrownBy(() -> state.withDown(List.of())).hasMessage("List of machines is empty");
        assertThatThrownBy(() -> state.withDown(List.of(A, A))).hasMessageContaining("appears more than once");
    }

    @Test
    void machineIdsNeedAHostnameOrAnIpv4Address() {
        assertThatThrownBy(() -> new MachineId(" ", ""))
                .hasMessage("Both 'hostname' and 'ip' for a machine are empty");
        assertThatThrownBy(() -> new MachineId("a", "10.0.0.300")).hasMessageContaining("invalid IPv4 address '10.0.0.300'");
        assertThatThrownBy(() -> new Unavailability(Instant.EPOCH, Optional.of(Duration.ofSeconds(-1))))
                .hasMessage("Unavailability 'duration' is negative");
    }

    @Test
    void machineMatchesAgentsByEveryFieldItGivesIgnoringHostnameCase() {
        assertThat(new MachineId("A.Example", "").matches("a.example", "10.9.9.9")).isTrue();
        assertThat(A.matches("a.example", "10.0.0.2")).isFalse();
        assertThat(C.matches("anything", "10.0.0.3")).isTrue();
        MaintenanceState state = MaintenanceState.EMPTY.withSchedule(List.of(window(SOON, A))).withDown(List.of(A));
        assertThat(state.isDown("A.EXAMPLE", "10.0.0.1")).isTrue();
        assertThat(state.drainingUnavailability("a.example", "10.0.0.1")).isEmpty();
    }

    @Test
    void registryEntryReadsBackAsTheSameState() {
        MaintenanceState state = MaintenanceState.EMPTY.withSchedule(List.of(window(SOON, A, B), window(LATER, C)))
                .withDown(List.of(C));

        assertThat(MaintenanceMessages.fromEntry(MaintenanceMessages.entry(state))).isEqualTo(state);
        assertThat(MaintenanceMessages.fromEntry(MaintenanceMessages.entry(MaintenanceState.EMPTY)))
                .isEqualTo(MaintenanceState.EMPTY);
    }

    @Test
    void mesosScheduleReadsBackAsTheSameWindows() {
        MaintenanceState state = MaintenanceState.EMPTY.withSchedule(List.of(window(SOON, A, B), window(LATER, C)));

        assertThat(MaintenanceMessages.windows(MaintenanceMessages.schedule(state))).isEqualTo(state.schedule());
    }
}
