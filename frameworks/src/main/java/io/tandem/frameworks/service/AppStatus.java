package io.tandem.frameworks.service;

import java.util.List;

/**
 * What {@code tandem service status} shows about one app, as the HTTP API returns it (JSON).
 *
 * @param state    {@code running} (desired count healthy), {@code deploying}, {@code rolling-update},
 *                 {@code backing-off}, {@code waiting} or {@code failed} (cannot be placed; not retried)
 * @param message  why, in words; empty when there is nothing to say
 */
public record AppStatus(String name, int version, int desired, int running, int healthy, String state,
                        String message, List<InstanceStatus> instances) {

    public AppStatus {
        instances = List.copyOf(instances);
    }

    /** One instance: its task id, version, host, ports, Mesos task state and health. */
    public record InstanceStatus(String taskId, int version, String host, List<Long> ports, String state,
                                 String health) {}
}
