package io.tandem.master.ha;

import io.tandem.api.MesosJson;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.api.CuratorWatcher;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderLatchListener;
import org.apache.curator.framework.recipes.leader.Participant;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.mesos.v1.Protos.MasterInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A master's part in the leader election (Mesos's contender): a Curator {@link LeaderLatch} under
 * {@code <zk path>/leader} whose participant node holds this master's {@code MasterInfo} as JSON, so
 * that agents, frameworks and the other masters read the leader's address from it.
 *
 * <p>"Never two leaders acting": the latch makes this master the leader only while its node is the
 * first; the moment the ZooKeeper connection is suspended (long before the session could expire and
 * another master be elected) the listener is told {@link Listener#demoted} and the master stops
 * serving. When the connection comes back the latch takes part again, at the back of the line.
 *
 * <p>Listener calls come one at a time, in order, on the {@code master-leadership} thread.
 */
public final class Leadership implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Leadership.class);

    /** What the master does when it wins or loses the election. */
    public interface Listener {
        /** This master leads now: read the registry, then serve. */
        void elected(CuratorFramework client);

        /** This master no longer leads (or may not: the connection is suspended); stop serving at once. */
        void demoted(String why);
    }

    private final CuratorFramework client;
    private final String path;
    private final String self;
    private final Listener listener;
    private final int quorum;
    private final CuratorWatcher participantsChanged;
    private boolean waitingForQuorum; // on the transitions thread
    private final ScheduledExecutorService transitions = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("master-leadership").daemon(true).factory());
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile LeaderLatch latch;
    private boolean leading; // on the transitions thread

    private Leadership(CuratorFramework client, String path, String self, Listener listener, int quorum) {
        this.client = client;
        this.path = path;
        this.self = self;
        this.listener = listener;
        this.quorum = quorum;
        this.participantsChanged = event -> {
            if (!closed.get()) {
                transitions.execute(this::reconsider);
            }
        };
    }

    /** Connects to ZooKeeper and joins the election; returns at once (election happens in the background). */
    public static Leadership join(HighAvailability ha, MasterInfo self, Listener listener) {
        CuratorFramework client = CuratorFrameworkFactory.builder()
                .connectString(ha.zk().connectString())
                .sessionTimeoutMs((int) ha.sessionTimeout().toMillis())
                .connectionTimeoutMs((int) Math.min(ha.sessionTimeout().toMillis(), Duration.ofSeconds(15).toMillis()))
                .retryPolicy(new ExponentialBackoffRetry(200, 10, 2_000))
                .build();
        Leadership leadership = new Leadership(client, ha.zk().leaderPath(), MesosJson.print(self), listener, ha.quorum());
        client.getConnectionStateListenable().addListener((c, state) -> {
            if (state == ConnectionState.SUSPENDED || state == ConnectionState.LOST) {
                leadership.stepDown("the ZooKeeper connection is " + state.name().toLowerCase());
            } else {
                log.info("ZooKeeper connection {}", state.name().toLowerCase());
                leadership.reconsider();   // the latch may lead again, and the participants' watch needs arming
            }
        }, leadership.transitions);
        client.start();
        if (ha.quorum() > 1) {
            // Besides the watch on the participants: a watch is lost with an expired session, and a count
            // taken while a participant re-creates its node after a reconnection is one short.
            leadership.transitions.scheduleWithFixedDelay(leadership::reconsider, 1, 1, TimeUnit.SECONDS);
        }
        try {
            leadership.startLatch();
        } catch (Exception e) {
            client.close();
            throw new IllegalStateException("cannot join the leader election at " + ha.zk() + ": " + e.getMessage(), e);
        }
        log.info("Joined the leader election at {} (quorum {}, ZooKeeper session timeout {}s)", ha.zk(), ha.quorum(),
                ha.sessionTimeout().toMillis() / 1000.0);
        return leadership;
    }

    private void startLatch() throws Exception {
        LeaderLatch fresh = new LeaderLatch(client, path, self);
        fresh.addListener(new LeaderLatchListener() {
            @Override
            public void isLeader() {
                becomeLeader();
            }

            @Override
            public void notLeader() {
                stepDown("lost the election");
            }
        }, transitions);
        latch = fresh;
        fresh.start();
    }

    /**
     * Acts as the leader only while the latch says so and at least {@code quorum} masters (this one
     * included) take part in the election: a master that finds itself first in a line shorter than
     * the quorum is cut off from the other masters, or most of them are down, and must not act alone.
     */
    private void becomeLeader() {
        if (leading || closed.get() || !latch.hasLeadership()) {
            return;
        }
        int taking = participants();
        if (taking < quorum) {
            if (!waitingForQuorum) {
                log.warn("First in the election, but only {} of a quorum of {} masters take part; not leading until "
                        + "{} more join", taking, quorum, quorum - taking);
            }
            waitingForQuorum = true;
            return;
        }
        if (waitingForQuorum) {
            log.info("{} masters take part in the election now, the quorum is {}", taking, quorum);
        }
        waitingForQuorum = false;
        leading = true;
        log.info("Elected leading master ({} masters take part, quorum {})", taking, quorum);
        listener.elected(client);
    }

    /** A participant joined or left (or the connection came back): lead, or stop leading, as the quorum says. */
    private void reconsider() {
        if (closed.get() || latch == null) {
            return;
        }
        if (!leading) {
            becomeLeader();
            return;
        }
        int taking = participants();
        if (taking < quorum) {
            stepDown("only " + taking + " masters take part in the election, fewer than the quorum of " + quorum);
            waitingForQuorum = true;
        }
    }

    /**
     * How many masters take part in the election now (the latch's nodes), re-arming the watch that
     * calls {@link #reconsider} when that changes. With a quorum of 1 there is nothing to count.
     */
    private int participants() {
        if (quorum <= 1) {
            return 1;
        }
        try {
            return client.getChildren().usingWatcher(participantsChanged).forPath(path).size();
        } catch (Exception e) {
            log.debug("Cannot count the masters in the election: {}", e.toString());
            return 0;
        }
    }

    private void stepDown(String why) {
        if (!leading) {
            return;
        }
        leading = false;
        log.warn("No longer the leading master: {}", why);
        listener.demoted(why);
    }

    /**
     * Gives up leadership from inside (the registry could not be written): steps down, then takes part
     * in the election again from the back of the line.
     */
    public void abdicate(String why) {
        if (closed.get()) {
            return;
        }
        transitions.execute(() -> {
            stepDown(why);
            try {
                latch.close(LeaderLatch.CloseMode.SILENT);
                startLatch();
            } catch (Exception e) {
                log.error("Cannot take part in the election again: {}", e.toString());
            }
        });
    }

    /** The ZooKeeper client this master's election runs on. */
    public CuratorFramework client() {
        return client;
    }

    /** The leading master's {@code MasterInfo} as ZooKeeper has it now; empty while there is none. */
    public Optional<MasterInfo> leader() {
        try {
            Participant participant = latch.getLeader();
            if (participant == null || participant.getId().isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(MesosJson.parse(participant.getId(), MasterInfo.newBuilder()).build());
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    /** Leaves the election and disconnects from ZooKeeper. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        transitions.execute(() -> stepDown("the master is stopping"));
        try {
            latch.close(LeaderLatch.CloseMode.SILENT);
        } catch (IOException | IllegalStateException e) {
            log.debug("Leaving the election: {}", e.toString());
        }
        transitions.shutdown();
        try {
            transitions.awaitTermination(15, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        client.close();
    }
}
