package io.tandem.agent.recovery;

import io.tandem.agent.status.TaskKey;
import java.nio.file.Path;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.FrameworkID;

/**
 * Where the agent's checkpoint lives, below {@code <workDir>/meta/}:
 *
 * <pre>
 * meta/tasks.journal                     every task's TaskInfo, supervisor process, updates and acknowledgements,
 *                                        appended to and fsynced once a batch ({@link TaskJournal}), compacted now and then
 * meta/frameworks/&lt;framework&gt;/framework.json            FrameworkInfo (Mesos JSON), replaced atomically
 * meta/frameworks/&lt;framework&gt;/exits/&lt;task&gt;.exit        the exit status a task's supervisor wrote
 * meta/frameworks/&lt;framework&gt;/executors/&lt;executor&gt;/executor.json   ExecutorInfo (Mesos JSON), with
 *                                       .../process        "pid startTime bootId", the container name, the container id
 *                                       .../exit           the exit status the executor's supervisor shell wrote
 * </pre>
 *
 * One journal rather than a directory of files per task: a thousand launches made and removed four
 * thousand files, and on ext4 creating files next to thousands just deleted was the agent's
 * slowest step. (The agent id stays in {@code <workDir>/agent-id}.) Framework, task and executor
 * ids are safe file names: the agent refuses tasks whose ids are not ({@code LaunchChecks}).
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

    public Path taskJournal() {
        return root().resolve("tasks.journal");
    }

    /**
     * Written by the task's supervisor ({@link io.tandem.agent.process.ExitStatusFile}) as
     * {@code <task>.exit.tmp}, then renamed: the suffixes keep one task's temporary file from being
     * another's exit file (task {@code x}'s {@code x.exit.tmp} is no task's {@code .exit}).
     */
    public Path exit(TaskKey key) {
        return frameworkDir(key.frameworkId()).resolve("exits").resolve(key.taskId().getValue() + ".exit");
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
