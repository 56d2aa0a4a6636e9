package io.tandem.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.allocator.Protos.InverseOfferStatus;
import org.apache.mesos.v1.maintenance.Protos.ClusterStatus;
import org.apache.mesos.v1.maintenance.Protos.Schedule;
import org.apache.mesos.v1.maintenance.Protos.Window;

/**
 * The maintenance schedule and status as tables. Machines are written as the command line reads them
 * ({@code HOST}, {@code IP}, {@code HOST=IP}), so a row can be pasted into {@code tandem maintenance start}.
 */
final class MaintenanceReport {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);

    private MaintenanceReport() {}

    static String schedule(Schedule schedule) {
        StateTable table = new StateTable("Maintenance schedule", "WINDOW", "MACHINE", "UNAVAILABLE FROM", "FOR");
        for (int i = 0; i < schedule.getWindowsCount(); i++) {
            Window window = schedule.getWindows(i);
            Protos.Unavailability when = window.getUnavailability();
            String from = TIME.format(Instant.ofEpochSecond(0, when.getStart().getNanoseconds()));
            String length = when.hasDuration() ? duration(Duration.ofNanos(when.getDuration().getNanoseconds())) : "for good";
            for (Protos.MachineID machine : window.getMachineIdsList()) {
                table.row(String.valueOf(i + 1), machine(machine), from, length);
            }
        }
        return table.render();
    }

    static String status(ClusterStatus status) {
        StateTable table = new StateTable("Machines in maintenance", "MACHINE", "MODE", "FRAMEWORK", "ANSWER", "SINCE");
        for (ClusterStatus.DrainingMachine draining : status.getDrainingMachinesList()) {
            if (draining.getStatusesCount() == 0) {
                table.row(machine(draining.getId()), "DRAINING", "-", "-", "-");
            }
            for (InverseOfferStatus answer : draining.getStatusesList()) {
                table.row(machine(draining.getId()), "DRAINING", answer.getFrameworkId().getValue(),
                        answer.getStatus() == InverseOfferStatus.Status.UNKNOWN ? "no answer yet" : answer.getStatus().name(),
                        TIME.format(Instant.ofEpochSecond(0, answer.getTimestamp().getNanoseconds())));
            }
        }
        for (Protos.MachineID down : status.getDownMachinesList()) {
            table.row(machine(down), "DOWN", "-", "-", "-");
        }
        return table.render();
    }

    static String machine(Protos.MachineID id) {
        if (id.getIp().isEmpty()) {
            return id.getHostname();
        }
        return id.getHostname().isEmpty() ? id.getIp() : id.getHostname() + "=" + id.getIp();
    }

    private static String duration(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        StringBuilder text = new StringBuilder();
        if (d.toDays() > 0) {
            text.append(d.toDays()).append('d');
        }
        if (d.toHoursPart() > 0) {
            text.append(d.toHoursPart()).append('h');
        }
        if (d.toMinutesPart() > 0) {
            text.append(d.toMinutesPart()).append('m');
        }
        if (d.toSecondsPart() > 0 || text.isEmpty()) {
            text.append(d.toSecondsPart()).append('s');
        }
        return text.toString();
    }
}
