package io.tandem.agent;

import io.tandem.agent.isolation.Container;
import com.google.protobuf.ByteString;
import io.tandem.agent.loop.Timers;
import io.tandem.agent.process.ProcessGroup;
import io.tandem.agent.status.TaskKey;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.apache.mesos.v1.Protos.ContainerID;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;

/**
 * One custom executor on this agent: its process, its subscription and its tasks. Owned by the
 * agent loop thread.
 *
 * <pre>
 * LAUNCHING -> REGISTERING -> SUBSCRIBED -> TERMINATING -> TERMINATED
 *      \____________\______________\______________________/^
 * RECOVERING (an earlier run of the agent started it) -> SUBSCRIBED, TERMINATING or TERMINATED
 * </pre>
 */
final class ExecutorRecord {
    enum Phase { LAUNCHING, REGISTERING, RECOVERING, SUBSCRIBED, TERMINATING, TERMINATED }

    /** An executor on this agent: executor ids are unique within a framework. */
    record Key(FrameworkID frameworkId, ExecutorID executorId) {
        @Override
        public String toString() {
            return frameworkId.getValue() + "/" + executorId.getValue();
        }
    }

    final Key key;
    final FrameworkInfo framework;
    final ExecutorInfo info;
    final ContainerID containerId;
    final Path sandbox;
    /** Tasks waiting for the executor to subscribe, in launch order. */
    final Map<TaskKey, TaskRecord> queued = new LinkedHashMap<>();
    /** Tasks handed to the executor with a LAUNCH event. */
    final Map<TaskKey, TaskRecord> launched = new LinkedHashMap<>();
    /** Completes once the executor's process is gone (or never started). */
    final CompletableFuture<Void> gone = new CompletableFuture<>();

    Phase phase = Phase.LAUNCHING;
    ProcessGroup process;
    /** The executor's container once its process started (null without isolation, or when re-attached). */
    Container container;
    ExecutorStream stream;
    Timers.Timer registrationTimer;
    /** The uuids of the updates the executor sent (this run of the agent, or journaled by an earlier one). */
    final Set<ByteString> received = new HashSet<>();
    /** The uuids of those the framework acknowledged: a re-subscribing executor that resends one is told. */
    final Set<ByteString> acknowledged = new HashSet<>();
    /** The state its unfinished tasks end in when the agent ends it; null: KILLED if asked, else FAILED. */
    TaskState terminationState;
    /** Why the agent ended the executor, reported on its unfinished tasks; null if it just exited. */
    TaskStatus.Reason terminationReason;
    String terminationMessage;

    ExecutorRecord(FrameworkInfo framework, ExecutorInfo info, ContainerID containerId, Path sandbox) {
        this.key = new Key(framework.getId(), info.getExecutorId());
        this.framework = framework;
        this.info = info;
        this.containerId = containerId;
        this.sandbox = sandbox;
    }

    Stream<TaskRecord> tasks() {
        return Stream.concat(queued.values().stream(), launched.values().stream());
    }

    boolean hasLiveTasks() {
        return tasks().anyMatch(t -> !t.isTerminal());
    }

    boolean isEnding() {
        return phase == Phase.TERMINATING || phase == Phase.TERMINATED;
    }

    @Override
    public String toString() {
        return "executor " + key;
    }
}
