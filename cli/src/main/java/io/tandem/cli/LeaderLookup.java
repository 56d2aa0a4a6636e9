package io.tandem.cli;

import io.tandem.api.ZooKeeperUrl;
import io.tandem.sdk.ZooKeeperMasterDetector;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Finds the leading master for the commands that are given {@code --master zk://host:2181/path}:
 * one-shot commands ask once (waiting a little while no master leads); agents ask on every
 * connection attempt.
 */
final class LeaderLookup {
    private static final Duration POLL = Duration.ofMillis(200);

    private LeaderLookup() {}

    /**
     * The leader's base URL, waiting up to {@code timeout} for ZooKeeper to name one.
     *
     * @throws IOException naming the ZooKeeper URL when no leader is known in time
     */
    static URI await(ZooKeeperUrl url, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (ZooKeeperMasterDetector detector = ZooKeeperMasterDetector.connect(url)) {
            while (true) {
                Optional<URI> leader = detector.leader();
                if (leader.isPresent()) {
                    return leader.get();
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException("no leading master found at " + url + " within " + timeout.toSeconds()
                            + "s (is ZooKeeper running, and is a master?)");
                }
                TimeUnit.MILLISECONDS.sleep(POLL.toMillis());
            }
        }
    }
}
