package io.tandem.agent.status;

import com.google.protobuf.ByteString;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.TaskStatus;

/**
 * Where the status update manager keeps every update before it is sent, and every
 * acknowledgement, so that an agent restart loses none: the agent's checkpoint in production,
 * {@link #NONE} where nothing needs to survive.
 */
public interface UpdateJournal {
    /** Keeps nothing: every update counts as durable at once. */
    UpdateJournal NONE = new UpdateJournal() {
        @Override
        public void append(FrameworkID frameworkId, TaskStatus status, Runnable durable) {
            durable.run();
        }

        @Override
        public void acknowledged(TaskKey key, ByteString uuid) {}

        @Override
        public void forget(TaskKey key) {}
    };

    /** Keeps {@code status}; runs {@code durable} on the agent loop once it is on disk. */
    void append(FrameworkID frameworkId, TaskStatus status, Runnable durable);

    /** The update {@code uuid} of {@code key} was acknowledged and need not be sent again. */
    void acknowledged(TaskKey key, ByteString uuid);

    /** The agent forgot the task: nothing of it needs to survive a restart any more. */
    void forget(TaskKey key);
}
