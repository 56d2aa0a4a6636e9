package io.tandem.frameworks.service;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How to start a {@link ServiceScheduler}.
 *
 * @param masters        master URLs, tried in turn
 * @param role           the role the scheduler's tasks run in
 * @param name           the framework's name
 * @param bindHost       where the HTTP API listens
 * @param port           the HTTP API's port; 0 picks a free one
 * @param stateDir       where state is kept when {@code zooKeeper} is null
 * @param zooKeeper      {@code zk://host:port/path} to keep state in ZooKeeper instead, or null
 * @param failoverTimeout how long the master keeps the tasks while the scheduler is away
 */
public record ServiceConfig(List<String> masters, String role, String name, String bindHost, int port, Path stateDir,
                            String zooKeeper, Duration failoverTimeout) {
    public static final int DEFAULT_PORT = 5070;

    public ServiceConfig {
        masters = List.copyOf(masters);
        if (masters.isEmpty()) {
            throw new IllegalArgumentException("the service scheduler needs at least one master URL");
        }
        if (role == null || role.isBlank() || role.equals("*")) {
            throw new IllegalArgumentException("the service scheduler needs its own role, got '" + role + "'");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, got " + port);
        }
        if (stateDir == null && zooKeeper == null) {
            throw new IllegalArgumentException("the service scheduler needs a state directory or a ZooKeeper URL");
        }
    }

    /** Role {@code services}, API on 127.0.0.1:5070, state in {@code stateDir}, tasks kept a week while away. */
    public static ServiceConfig defaults(String master, Path stateDir) {
        return new ServiceConfig(List.of(master), "services", "tandem-services", "127.0.0.1", DEFAULT_PORT, stateDir,
                null, Duration.ofDays(7));
    }

    public ServiceConfig withMasters(List<String> value) {
        return new ServiceConfig(value, role, name, bindHost, port, stateDir, zooKeeper, failoverTimeout);
    }

    public ServiceConfig withRole(String value) {
        return new ServiceConfig(masters, value, name, bindHost, port, stateDir, zooKeeper, failoverTimeout);
    }

    public ServiceConfig withName(String value) {
        return new ServiceConfig(masters, role, value, bindHost, port, stateDir, zooKeeper, failoverTimeout);
    }

    public ServiceConfig withBind(String host, int value) {
        return new ServiceConfig(masters, role, name, host, value, stateDir, zooKeeper, failoverTimeout);
    }

    public ServiceConfig withZooKeeper(String value) {
        return new ServiceConfig(masters, role, name, bindHost, port, stateDir, value, failoverTimeout);
    }

    public ServiceConfig withFailoverTimeout(Duration value) {
        return new ServiceConfig(masters, role, name, bindHost, port, stateDir, zooKeeper, value);
    }
}
