package io.tandem.testkit;

import io.tandem.sdk.Executor;
import io.tandem.sdk.ExecutorCalls;
import io.tandem.sdk.ExecutorDriver;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;

/**
 * A real custom executor for whole-cluster tests, run by the agent as its own JVM
 * ({@link #info(String)} builds the {@code ExecutorInfo}). For each task it sends TASK_RUNNING, then
 * acts on the task's {@code data}:
 *
 * <ul>
 *   <li>{@code wait}: nothing until the task is killed, then TASK_KILLED;
 *   <li>anything else ({@code finish}, empty, {@code burst}…): TASK_FINISHED right after TASK_RUNNING,
 *       back to back, without waiting for the agent's answer (as a naive executor does; the SDK
 *       driver sends them in order).
 * </ul>
 *
 * Each framework message is sent back prefixed with {@code "echo:"}. On SHUTDOWN it kills its
 * waiting tasks and exits once the agent answered the last update.
 *
 * <p>Its callbacks run on the driver's one callback thread; the state below is touched only there.
 */
public final class EchoExecutor implements Executor {
    /** Prefix of every message sent back. */
    public static final String ECHO_PREFIX = "echo:";

    private final Set<TaskID> waiting = new LinkedHashSet<>();
    /** The last update sent; the driver sends in order, so once it is answered all earlier ones are. */
    private CompletableFuture<Void> lastUpdate = CompletableFuture.completedFuture(null);
    private final CompletableFuture<Void> done = new CompletableFuture<>();

    public static void main(String[] args) {
        EchoExecutor executor = new EchoExecutor();
        ExecutorDriver driver = ExecutorDriver.fromEnvironment(executor);
        driver.start();
        CompletableFuture.anyOf(driver.whenStopped(), executor.done).join();
        driver.stop();
        System.exit(0);
    }

    /**
     * An {@code ExecutorInfo} that runs this class with the current JVM's {@code java} binary and
     * class path (a test's class path holds the testkit and its dependencies).
     */
    public static ExecutorInfo info(String executorId) {
        String java = ProcessHandle.current().info().command()
                .orElseGet(() -> System.getProperty("java.home") + "/bin/java");
        List<String> argv = List.of(java, "-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), EchoExecutor.class.getName());
        return ExecutorInfo.newBuilder()
                .setType(ExecutorInfo.Type.CUSTOM)
                .setExecutorId(ExecutorID.newBuilder().setValue(executorId))
                .setName("echo executor " + executorId)
                .setCommand(CommandInfo.newBuilder().setShell(false).setValue(java).addAllArguments(argv))
                .build();
    }

    @Override
    public void launch(ExecutorCalls driver, TaskInfo task) {
        String mode = task.getData().toStringUtf8().strip();
        send(driver, status(task.getTaskId(), TaskState.TASK_RUNNING, "echo executor runs it"));
        if (mode.equals("wait")) {
            waiting.add(task.getTaskId());
        } else {
            send(driver, status(task.getTaskId(), TaskState.TASK_FINISHED, "done: " + mode));
        }
    }

    @Override
    public void kill(ExecutorCalls driver, TaskID taskId) {
        if (waiting.remove(taskId)) {
            send(driver, status(taskId, TaskState.TASK_KILLED, "killed as asked"));
        }
    }

    private void send(ExecutorCalls driver, TaskStatus status) {
        lastUpdate = driver.update(status);
    }

    @Override
    public void message(ExecutorCalls driver, byte[] data) {
        driver.message((ECHO_PREFIX + new String(data, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void shutdown(ExecutorCalls driver) {
        for (TaskID taskId : List.copyOf(waiting)) {
            kill(driver, taskId);
        }
        // Let the agent take the last updates before the process ends.
        lastUpdate.handle((ok, failure) -> null)
                .completeOnTimeout(null, 2, TimeUnit.SECONDS)
                .whenComplete((ok, failure) -> done.complete(null));
    }

    private static TaskStatus status(TaskID taskId, TaskState state, String message) {
        return TaskStatus.newBuilder().setTaskId(taskId).setState(state).setMessage(message).build();
    }
}
