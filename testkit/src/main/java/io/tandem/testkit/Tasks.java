package io.tandem.testkit;

import org.apache.mesos.v1.Protos.CommandInfo;
import java.util.List;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;

/**
 * Where task specs start. A spec becomes a {@code TaskInfo} when it meets an offer:
 *
 * <pre>{@code
 * TaskInfo task = Tasks.shell("t1", "echo hi").cpus(0.1).mem(32).on(offer);
 * TaskInfo wait = Tasks.onExecutor("t2", EchoExecutor.info("e1")).data("wait").on(offer);
 * }</pre>
 */
public final class Tasks {
    private Tasks() {}

    public static TaskID id(String value) {
        return TaskID.newBuilder().setValue(value).build();
    }

    /** A command task run by the agent as {@code /bin/sh -c command}; 0.1 cpus and 32 MB unless told. */
    public static TaskSpec shell(String taskId, String command) {
        return new TaskSpec(taskId, CommandInfo.newBuilder().setShell(true).setValue(command).build(), null);
    }

    /** A task run by a custom executor (started with the task unless the framework runs it there already). */
    public static TaskSpec onExecutor(String taskId, ExecutorInfo executor) {
        return new TaskSpec(taskId, null, executor);
    }

    /** An ACCEPT's LAUNCH operation for {@code tasks}. */
    public static Offer.Operation launch(List<TaskInfo> tasks) {
        return Offer.Operation.newBuilder().setType(Offer.Operation.Type.LAUNCH)
                .setLaunch(Offer.Operation.Launch.newBuilder().addAllTaskInfos(tasks)).build();
    }
}
