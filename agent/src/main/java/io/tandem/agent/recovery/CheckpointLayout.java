package io.tandem.agent.recovery;

import io.tandem.agent.status.TaskKey;
import java.nio.file.Path;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.FrameworkID;

/**
 * Where the agent's checkpoint lives, below {@code <workDir>/meta/}:
 *
 * <pre>
 * meta/frameworks/&lt;framework&gt;/framework.json            FrameworkInfo (Mesos JSON), replaced atomically
 * meta/frameworks/&lt;framework&gt;/tasks/&lt;task&gt;/task.json     TaskInfo (Mesos JSON), written once
 *                                       .../process        "pid startTime bootId", then the container name
 *                                       .../updates        append-only: "update &lt;base64 TaskStatus&gt;", "ack &lt;base64 uuid&gt;"
 *                                       .../exit           the exit status the task's supervisor shell wrote
 * meta/frameworks/&lt;framework&gt;/executors/&lt;executor&gt;/executor.json   ExecutorInfo (Mesos JSON), with
 *                                       .../process        "pid startTime bootId", the container name, the container id
 *                                       .../exit           the exit status the executor's supervisor shell wrote
 * </pre>
 *
 * (The agent id stays in {@code <workDir>/agent-id}.) Framework, task and executor ids are safe directory
 * names: the agent refuses tasks whose ids are not ({@code LaunchChecks}).
 */
public record CheckpointLayout(Path workDir) {
    public Path root() {
        return workDir.resolve("meta");
    }

    public Path frameworks() {
        return root().resolve("frameworks");
    }

    public Path frameworkDir(FrameworkID frameworkId) {
        return frameworks().resolve(frameworkId.getValue());
    }

    public Path frameworkInfo(FrameworkID frameworkId) {
        return frameworkDir(frameworkId).resolve("framework.json");
    }

    public Path taskDir(TaskKey key) {
        return frameworkDir(key.frameworkId()).resolve("tasks").resolve(key.taskId().getValue());
    }

    public Path taskInfo(TaskKey key) {
        return taskDir(key).resolve("task.json");
    }

    public Path process(TaskKey key) {
        return taskDir(key).resolve("process");
    }

    public Path updates(TaskKey key) {
        return taskDir(key).resolve("updates");
    }

    /** Written by the task's supervisor ({@link io.tandem.agent.process.ExitStatusFile}). */
    public Path exit(TaskKey key) {
        return taskDir(key).resolve("exit");
    }

    public Path executorDir(FrameworkID frameworkId, ExecutorID executorId) {
        return frameworkDir(frameworkId).resolve("executors").resolve(executorId.getValue());
    }

    public Path executorInfo(FrameworkID frameworkId, ExecutorID executorId) {
        return executorDir(frameworkId, executorId).resolve("executor.json");
    }

    public Path executorProcess(FrameworkID frameworkId, ExecutorID executorId) {
        return executorDir(frameworkId, executorId).resolve("process");
    }

    /** Written by the executor's supervisor ({@link io.tandem.agent.process.ExitStatusFile}). */
    public Path executorExit(FrameworkID frameworkId, ExecutorID executorId) {
        return executorDir(frameworkId, executorId).resolve("exit");
    }
}
