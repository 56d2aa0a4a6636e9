package io.tandem.sdk;

import com.google.protobuf.ByteString;
import org.apache.mesos.v1.Protos.AgentInfo;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.KillPolicy;
import org.apache.mesos.v1.Protos.TaskGroupInfo;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;

/**
 * What a custom executor does when its agent tells it something. An {@link ExecutorDriver} calls
 * these methods on one callback thread, in order. {@link #launch} and {@link #kill} must eventually be
 * answered with status updates ({@link ExecutorCalls#update}); the rest have no-op defaults.
 */
public interface Executor {

    /** The agent accepted the subscription (again, after a reconnection). */
    default void subscribed(ExecutorCalls driver, ExecutorInfo executor, FrameworkInfo framework, AgentInfo agent) {}

    /** Start a task; send TASK_RUNNING (or TASK_FAILED) when it has started (or could not). */
    void launch(ExecutorCalls driver, TaskInfo task);

    /** Start a group of tasks that belong together. The default starts each task on its own. */
    default void launchGroup(ExecutorCalls driver, TaskGroupInfo group) {
        group.getTasksList().forEach(task -> launch(driver, task));
    }

    /** Stop a task and send a terminal update (TASK_KILLED normally). */
    void kill(ExecutorCalls driver, TaskID taskId);

    /**
     * Stop a task with the scheduler's kill policy (e.g. its grace period). The default ignores the
     * policy and calls {@link #kill(ExecutorCalls, TaskID)}.
     */
    default void kill(ExecutorCalls driver, TaskID taskId, KillPolicy policy) {
        kill(driver, taskId);
    }

    /** The agent has the update with this uuid; the driver has already stopped resending it. */
    default void acknowledged(ExecutorCalls driver, TaskID taskId, ByteString uuid) {}

    /** Bytes from the scheduler; delivery is not guaranteed. */
    default void message(ExecutorCalls driver, byte[] data) {}

    /**
     * Kill every task, send their terminal updates and exit, within the agent's grace period. Also
     * called when the driver gives up on a lost agent (see {@link ExecutorDriver}).
     */
    default void shutdown(ExecutorCalls driver) {}

    /** The agent reported an error. */
    default void error(ExecutorCalls driver, String message) {}

    /** The connection to the agent was lost; the driver may be subscribing again. */
    default void disconnected(ExecutorCalls driver) {}
}
