package io.tandem.frameworks.common;

import io.tandem.sdk.ResourceNeeds;

/**
 * What one agent could ever give a role: its total cpus, mem, disk and ports that are unreserved or
 * reserved for that role. Used to tell at once that a task is too big for every agent.
 */
public record AgentCapacity(AgentView agent, double cpus, double memMb, double diskMb, long ports) {

    /** How many tasks of {@code needs} fit on this agent when it runs nothing else. */
    public long howMany(ResourceNeeds needs) {
        long n = Long.MAX_VALUE;
        n = Math.min(n, per(cpus, needs.cpus()));
        n = Math.min(n, per(memMb, needs.memMb()));
        n = Math.min(n, per(diskMb, needs.diskMb()));
        if (needs.ports() > 0) {
            n = Math.min(n, ports / needs.ports());
        }
        return n == Long.MAX_VALUE ? Long.MAX_VALUE : n;
    }

    /** {@code cpus:2;mem:1024;disk:1024;ports:100}, for messages. */
    public String describe() {
        return "cpus:" + text(cpus) + ";mem:" + text(memMb) + ";disk:" + text(diskMb) + ";ports:" + ports;
    }

    private static long per(double have, double need) {
        if (need <= 0) {
            return Long.MAX_VALUE;
        }
        // Thousandths, as Mesos counts, so 0.1 + 0.2 style drift cannot lose a task.
        return Math.round(have * 1000) / Math.round(need * 1000);
    }

    static String text(double value) {
        return java.math.BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }
}
