package io.tandem.master.ha;

import io.tandem.api.ZooKeeperUrl;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How a master takes part in a highly available cluster ({@code tandem master --zk ... --quorum 2}).
 *
 * @param zk the ensemble and path the masters share
 * @param quorum how many masters must take part in the election (be connected to ZooKeeper, in its
 *     leader latch) for one of them to lead, as Mesos's {@code --quorum} (a majority of the masters
 *     run: 2 of 3). A leader that sees fewer participants stops acting at once, and the first in line
 *     waits until enough join, so a master cut off from the others never acts alone. 1 (the default):
 *     any lone master may lead
 * @param sessionTimeout the ZooKeeper session timeout: a leader that is silent this long loses its
 *     leadership, and a new one is elected (10 s by default, as in Mesos)
 */
public record HighAvailability(ZooKeeperUrl zk, int quorum, Duration sessionTimeout) {
    public static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofSeconds(10);

    /**
     * The tick of a ZooKeeper server Tandem embeds ({@code tandem local --masters N}, the failover bench).
     * ZooKeeper expires sessions only at tick boundaries, so a dead leader's session ends up to one tick
     * after its timeout: ZooKeeper's usual 2 s tick alone would eat the whole failover budget
     * (session timeout + 2 s).
     */
    public static final Duration ZOOKEEPER_TICK = Duration.ofMillis(200);

    /**
     * The settings, besides {@link #ZOOKEEPER_TICK}, of a ZooKeeper server meant for Tandem: ZooKeeper
     * clamps a client's session timeout to [2, 20] ticks unless told otherwise, which with a 200 ms tick
     * would cut a 10 s session to 4 s; these allow 1 s to 2 min.
     */
    public static Map<String, Object> zooKeeperServerSettings() {
        return Map.of("minSessionTimeout", "1000", "maxSessionTimeout", "120000");   // strings: ZooKeeper stores them as Properties
    }

    public HighAvailability {
        Objects.requireNonNull(zk, "zk");
        if (quorum < 1) {
            throw new IllegalArgumentException("--quorum must be at least 1 (how many masters must take part in the "
                    + "election for one to lead), got " + quorum);
        }
        if (sessionTimeout == null || sessionTimeout.toMillis() < 1) {
            throw new IllegalArgumentException("the ZooKeeper session timeout must be positive, got " + sessionTimeout);
        }
    }
}
