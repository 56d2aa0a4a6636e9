package io.tandem.master.ha;

import io.tandem.api.ZooKeeperUrl;
import java.time.Duration;
import java.util.Objects;

/**
 * How a master takes part in a highly available cluster ({@code tandem master --zk ... --quorum 2}).
 *
 * @param zk the ensemble and path the masters share
 * @param quorum how many masters the operator runs a majority of, as Mesos's {@code --quorum}; Tandem
 *     keeps the registry in ZooKeeper, whose own majority makes writes durable, so this is checked
 *     ({@code >= 1}) and shown, not used to count votes
 * @param sessionTimeout the ZooKeeper session timeout: a leader that is silent this long loses its
 *     leadership, and a new one is elected (10 s by default, as in Mesos)
 */
public record HighAvailability(ZooKeeperUrl zk, int quorum, Duration sessionTimeout) {
    public static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofSeconds(10);

    public HighAvailability {
        Objects.requireNonNull(zk, "zk");
        if (quorum < 1) {
            throw new IllegalArgumentException("quorum must be at least 1, got " + quorum);
        }
        if (sessionTimeout == null || sessionTimeout.toMillis() < 1) {
            throw new IllegalArgumentException("the ZooKeeper session timeout must be positive, got " + sessionTimeout);
        }
    }
}
