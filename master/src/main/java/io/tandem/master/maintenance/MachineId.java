package io.tandem.master.maintenance;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A machine, as Mesos's maintenance primitives name it: a hostname, an IPv4 address, or both. One
 * machine may run several agents. Hostnames compare without case (Mesos lower-cases them); an empty
 * field is "not given".
 */
public record MachineId(String hostname, String ip) {
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");

    /**
     * @throws IllegalArgumentException when both fields are empty, or the IP is not an IPv4 address
     *     (Mesos parses machine IPs as IPv4 only)
     */
    public MachineId {
        hostname = hostname == null ? "" : hostname.strip().toLowerCase(Locale.ROOT);
        ip = ip == null ? "" : ip.strip();
        if (hostname.isEmpty() && ip.isEmpty()) {
            throw new IllegalArgumentException("Both 'hostname' and 'ip' for a machine are empty");
        }
        if (!ip.isEmpty() && !IPV4.matcher(ip).matches()) {
            throw new IllegalArgumentException("machine " + describe(hostname, ip) + " has an invalid IPv4 address '"
                    + ip + "'");
        }
    }

    /**
     * Whether an agent with this hostname, subscribed from this IP, runs on the machine: every field the
     * machine gives must match (Mesos requires both; Tandem lets an operator name a machine by either).
     */
    public boolean matches(String agentHostname, String agentIp) {
        return (hostname.isEmpty() || hostname.equalsIgnoreCase(agentHostname))
                && (ip.isEmpty() || ip.equals(agentIp));
    }

    /** Whether this and {@code other} name one machine: the same hostname, or the same IP, where both give it. */
    public boolean overlaps(MachineId other) {
        return (!hostname.isEmpty() && hostname.equals(other.hostname)) || (!ip.isEmpty() && ip.equals(other.ip));
    }

    @Override
    public String toString() {
        return describe(hostname, ip);
    }

    private static String describe(String hostname, String ip) {
        if (ip.isEmpty()) {
            return "'" + hostname + "'";
        }
        return hostname.isEmpty() ? "'" + ip + "'" : "'" + hostname + "' (" + ip + ")";
    }
}
