package io.tandem.cli;

import io.tandem.sdk.Executor;
import io.tandem.sdk.ExecutorCalls;
import io.tandem.sdk.ExecutorDriver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;

/**
 * A real custom executor for {@code ExecutorRecoveryIT}, run by the agent as its own JVM on the SDK's
 * {@link ExecutorDriver}. It writes its pid to {@code pid} in its sandbox. Each task's {@code data} is
 * {@code "<gate file>|<final state>"}: the task is TASK_RUNNING until the gate file exists, then
 * ends in its final state (whether or not the agent is reachable: the driver keeps the update
 * until it is acknowledged) and an {@code ended-<task>} file marks that it was sent.
 */
public final class GatedExecutor implements Executor {
    private static final Duration POLL = Duration.ofMillis(100);

    public static void main(String[] args) throws IOException {
        Files.writeString(Path.of("pid"), Long.toString(ProcessHandle.current().pid()));
        ExecutorDriver driver = ExecutorDriver.fromEnvironment(new GatedExecutor());
        driver.start();
        driver.whenStopped().join();
        System.exit(0);
    }

    /** An {@code ExecutorInfo} that runs this class with the test JVM's {@code java} and class path. */
    static ExecutorInfo info(String executorId) {
        String java = ProcessHandle.current().info().command()
                .orElseGet(() -> System.getProperty("java.home") + "/bin/java");
        List<String> argv = List.of(java, "-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), GatedExecutor.class.getName());
        return ExecutorInfo.newBuilder()
                .setType(ExecutorInfo.Type.CUSTOM)
                .setExecutorId(ExecutorID.newBuilder().setValue(executorId))
                .setName("gated executor " + executorId)
                .setCommand(CommandInfo.newBuilder().setShell(false).setValue(java).addAllArguments(argv))
                .build();
    }

    @Override
    public void launch(ExecutorCalls driver, TaskInfo task) {
        String[] data = task.getData().toStringUtf8().split("\\|");
        Path gate = Path.of(data[0]);
        TaskState end = TaskState.valueOf(data[1]);
        driver.update(status(task.getTaskId(), TaskState.TASK_RUNNING, "waiting for " + gate.getFileName()));
        Thread.ofVirtual().name("gate-" + task.getTaskId().getValue()).start(() -> {
            try {
                while (!Files.exists(gate)) {
                    Thread.sleep(POLL);
                }
                driver.update(status(task.getTaskId(), end, "gate " + gate.getFileName() + " opened"));
                Files.createFile(Path.of("ended-" + task.getTaskId().getValue()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    @Override
    public void kill(ExecutorCalls driver, TaskID taskId) {
        driver.update(status(taskId, TaskState.TASK_KILLED, "killed as asked"));
    }

    @Override
    public void shutdown(ExecutorCalls driver) {
        System.exit(0);
    }

    private static TaskStatus status(TaskID taskId, TaskState state, String message) {
        return TaskStatus.newBuilder().setTaskId(taskId).setState(state).setMessage(message).build();
    }
}
