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
    private final Timers timers;
    private final Duration retryMin;
    private final Duration retryMax;
    private final Map<TaskKey, Stream> streams = new LinkedHashMap<>();
    private boolean connected;

    public StatusUpdateQueue(Sender sender, Timers timers, Duration retryMin, Duration retryMax) {
        if (retryMin.isNegative() || retryMin.isZero() || retryMax.compareTo(retryMin) < 0) {
            throw new IllegalArgumentException("need 0 < retryMin <= retryMax, got " + retryMin + " and " + retryMax);
        }
        this.sender = sender;
        this.timers = timers;
        this.retryMin = retryMin;
        this.retryMax = retryMax;
    }

    /** Queues {@code status} (which must carry a uuid) behind the task's earlier unacknowledged updates. */
    public void add(FrameworkID frameworkId, TaskStatus status) {
        if (!status.hasUuid()) {
            throw new IllegalArgumentException("a reliable update needs a uuid");
        }
        TaskKey key = new TaskKey(frameworkId, status.getTaskId());
        Stream stream = streams.computeIfAbsent(key, Stream::new);
        stream.pending.addLast(status);
        if (stream.pending.size() == 1) {
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
        if (stream == null || !stream.pending.getFirst().getUuid().equals(uuid)) {
            log.debug("ignoring acknowledgement for {}: no such update in flight", key);
            return Optional.empty();
        }
        TaskStatus acknowledged = stream.pending.removeFirst();
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
        return stream == null ? List.of() : List.copyOf(stream.pending);
    }

    public boolean hasPending(TaskKey key) {
        return streams.containsKey(key);
    }

    /** Drops every update of a framework that is gone, so they are no longer retried. */
    public void forgetFramework(FrameworkID frameworkId) {
        for (TaskKey key : new ArrayList<>(streams.keySet())) {
            if (key.frameworkId().equals(frameworkId)) {
                streams.remove(key).cancelRetry();
            }
        }
    }

    /** One task's queue of unacknowledged updates. */
    private final class Stream {
        private final TaskKey key;
        private final Deque<TaskStatus> pending = new ArrayDeque<>();
        private Timers.Timer retry;

        Stream(TaskKey key) {
            this.key = key;
        }

        void sendHead(Duration backoff) {
            if (!connected) {
                return;
            }
            TaskStatus head = pending.getFirst();
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
