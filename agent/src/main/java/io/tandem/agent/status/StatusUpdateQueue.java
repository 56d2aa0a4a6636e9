package io.tandem.agent.status;

import com.google.protobuf.ByteString;
import io.tandem.agent.loop.Timers;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The status update manager: delivers each task's updates to the master reliably and in order.
 *
 * <p>Per task, only the oldest unacknowledged update is in flight. It is resent with exponential
 * backoff ({@code retryMin}, doubling, at most {@code retryMax}) until the master relays the
 * framework's acknowledgement carrying its uuid; then the next update of that task goes out. While
 * the agent is disconnected nothing is sent; on reconnection every task's oldest update is resent.
 *
 * <p>Durable: each update is given to the {@link UpdateJournal} first and sent only once the
 * journal has it on disk; acknowledgements go to the journal too, so a restarted agent
 * {@link #restore}s exactly the unacknowledged updates. An update whose uuid is already queued for
 * its task is a duplicate and is dropped.
 *
 * <p>Owned by the agent loop thread; not thread-safe.
 */
public final class StatusUpdateQueue {
    private static final Logger log = LoggerFactory.getLogger(StatusUpdateQueue.class);

    /** Where updates go: the master connection in production, a recorder in tests. */
    @FunctionalInterface
    public interface Sender {
        void send(FrameworkID frameworkId, TaskStatus status);
    }

    private final Sender sender;
    private final UpdateJournal journal;
    private final Timers timers;
    private final Duration retryMin;
    private final Duration retryMax;
    private final Map<TaskKey, Stream> streams = new LinkedHashMap<>();
    private boolean connected;

    /** A queue that keeps nothing on disk. */
    public StatusUpdateQueue(Sender sender, Timers timers, Duration retryMin, Duration retryMax) {
        this(sender, UpdateJournal.NONE, timers, retryMin, retryMax);
    }

    public StatusUpdateQueue(Sender sender, UpdateJournal journal, Timers timers, Duration retryMin,
                             Duration retryMax) {
        if (retryMin.isNegative() || retryMin.isZero() || retryMax.compareTo(retryMin) < 0) {
            throw new IllegalArgumentException("need 0 < retryMin <= retryMax, got " + retryMin + " and " + retryMax);
        }
        this.sender = sender;
        this.journal = journal;
        this.timers = timers;
        this.retryMin = retryMin;
        this.retryMax = retryMax;
    }

    /**
     * Queues {@code status} (which must carry a uuid) behind the task's earlier unacknowledged
     * updates, and journals it. Returns false, changing nothing, for a duplicate (its uuid is queued).
     */
    public boolean add(FrameworkID frameworkId, TaskStatus status) {
        if (!status.hasUuid()) {
            throw new IllegalArgumentException("a reliable update needs a uuid");
        }
        TaskKey key = new TaskKey(frameworkId, status.getTaskId());
        Stream stream = streams.computeIfAbsent(key, Stream::new);
        if (stream.find(status.getUuid()) != null) {
            log.debug("dropping a duplicate {} of task {}", status.getState(), key);
            return false;
        }
        Entry entry = new Entry(status);
        stream.pending.addLast(entry);
        journal.append(frameworkId, status, () -> durable(key, entry));
        return true;
    }

    /**
     * Puts back the unacknowledged updates a restarted agent read from its journal, oldest first.
     * They are on disk already, so they are not journaled again; they are sent on {@link #connected()}.
     */
    public void restore(FrameworkID frameworkId, List<TaskStatus> unacknowledged) {
        for (TaskStatus status : unacknowledged) {
            TaskKey key = new TaskKey(frameworkId, status.getTaskId());
            Stream stream = streams.computeIfAbsent(key, Stream::new);
            if (stream.find(status.getUuid()) == null) {
                Entry entry = new Entry(status);
                entry.durable = true;
                stream.pending.addLast(entry);
            }
        }
    }

    private void durable(TaskKey key, Entry entry) {
        entry.durable = true;
        Stream stream = streams.get(key);
        if (stream != null && stream.pending.peekFirst() == entry && stream.retry == null) {
            stream.sendHead(retryMin);
        }
    }

    /**
     * Handles the framework's acknowledgement. Returns the acknowledged update when {@code uuid}
     * matches the task's update in flight; a stale or unknown acknowledgement returns empty and
     * changes nothing.
     */
    public Optional<TaskStatus> acknowledge(FrameworkID frameworkId, org.apache.mesos.v1.Protos.TaskID taskId,
                                            ByteString uuid) {
        TaskKey key = new TaskKey(frameworkId, taskId);
        Stream stream = streams.get(key);
        if (stream == null || !stream.pending.getFirst().status.getUuid().equals(uuid)) {
            log.debug("ignoring acknowledgement for {}: no such update in flight", key);
            return Optional.empty();
        }
        TaskStatus acknowledged = stream.pending.removeFirst().status;
        journal.acknowledged(key, uuid);
        stream.cancelRetry();
        if (stream.pending.isEmpty()) {
            streams.remove(key);
        } else {
            stream.sendHead(retryMin);
        }
        return Optional.of(acknowledged);
    }

    /** The master stream is up: resend every task's oldest update. */
    public void connected() {
        connected = true;
        for (Stream stream : streams.values()) {
            stream.cancelRetry();
            stream.sendHead(retryMin);
        }
    }

    /** The master stream broke: stop retrying until {@link #connected()}. */
    public void disconnected() {
        connected = false;
        streams.values().forEach(Stream::cancelRetry);
    }

    /** Unacknowledged updates of one task, oldest first. */
    public List<TaskStatus> pending(TaskKey key) {
        Stream stream = streams.get(key);
        return stream == null ? List.of() : stream.pending.stream().map(e -> e.status).toList();
    }

    public boolean hasPending(TaskKey key) {
        return streams.containsKey(key);
    }

    /** The agent forgot the task: its journal can go too. */
    public void forgetTask(TaskKey key) {
        Stream stream = streams.remove(key);
        if (stream != null) {
            stream.cancelRetry();
        }
        journal.forget(key);
    }

    /** Drops every update of a framework that is gone, so they are no longer retried. */
    public void forgetFramework(FrameworkID frameworkId) {
        for (TaskKey key : new ArrayList<>(streams.keySet())) {
            if (key.frameworkId().equals(frameworkId)) {
                streams.remove(key).cancelRetry();
                journal.forget(key);
            }
        }
    }

    /** One queued update; sent only once {@code durable}. */
    private static final class Entry {
        final TaskStatus status;
        boolean durable;

        Entry(TaskStatus status) {
            this.status = status;
        }
    }

    /** One task's queue of unacknowledged updates. */
    private final class Stream {
        private final TaskKey key;
        private final Deque<Entry> pending = new ArrayDeque<>();
        private Timers.Timer retry;

        Stream(TaskKey key) {
            this.key = key;
        }

        Entry find(ByteString uuid) {
            return pending.stream().filter(e -> e.status.getUuid().equals(uuid)).findFirst().orElse(null);
        }

        void sendHead(Duration backoff) {
            if (!connected || pending.isEmpty() || !pending.getFirst().durable) {
                return;
            }
            TaskStatus head = pending.getFirst().status;
            log.debug("sending {} of task {} (retry in {})", head.getState(), key, backoff);
            sender.send(key.frameworkId(), head);
            retry = timers.after(backoff, () -> {
                retry = null;
                Duration doubled = backoff.multipliedBy(2);
                sendHead(doubled.compareTo(retryMax) > 0 ? retryMax : doubled);
            });
        }

        void cancelRetry() {
            if (retry != null) {
                retry.cancel();
                retry = null;
            }
        }
    }
}
