package io.tandem.agent.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.tandem.agent.process.Confinement;
import io.tandem.agent.process.LaunchSpec;
import io.tandem.agent.process.ProcessGroup;
import io.tandem.agent.process.ProcessLauncher;
import io.tandem.agent.status.TaskKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checkpoint written, read back and acted on, with real task processes under their supervisor shells. */
class AgentRecoveryTest {
    private static final FrameworkInfo FRAMEWORK = FrameworkInfo.newBuilder().setUser("u").setName("f")
            .setId(FrameworkID.newBuilder().setValue("fw")).build();
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @TempDir
    Path workDir;

    private final List<ProcessGroup> started = new ArrayList<>();
    private ProcessLauncher launcher;
    private CheckpointLayout layout;
    private CheckpointWriter writer;

    @AfterEach
    void stop() {
        if (writer != null) {
            writer.close();
        }
        started.forEach(ProcessGroup::kill);
        if (launcher != null) {
            launcher.close();
        }
    }

    @Test
    void whatWasWrittenIsReadBackWithTheUnacknowledgedUpdates() throws Exception {
        TaskKey key = open("t");
        ProcessStamp stamp = new ProcessStamp(1, 2, "boot");
        TaskStatus running = update("t", TaskState.TASK_RUNNING, 1);
        TaskStatus finished = update("t", TaskState.TASK_FINISHED, 2);
        writer.process(key, stamp, "agent/fw.t");
        CountDownLatch durable = new CountDownLatch(2);
        writer.append(FRAMEWORK.getId(), running, durable::countDown);
        writer.append(FRAMEWORK.getId(), finished, durable::countDown);
        writer.acknowledged(key, running.getUuid());
        assertThat(durable.await(30, TimeUnit.SECONDS)).isTrue();
        writer.close();

        TaskCheckpoint read = new CheckpointReader(layout).read().getFirst();
        assertThat(read.framework()).isEqualTo(FRAMEWORK);
        assertThat(read.task()).isEqualTo(task("t"));
        assertThat(read.process()).contains(stamp);
        assertThat(read.container()).contains("agent/fw.t");
        assertThat(read.updates()).containsExactly(running, finished);
        assertThat(read.unacknowledged()).containsExactly(finished);
    }

    @Test
    void aTornLastJournalLineIsSkipped() throws Exception {
        open("t");
        TaskStatus running = update("t", TaskState.TASK_RUNNING, 1);
        writer.append(FRAMEWORK.getId(), running, () -> { });
        writer.close();
        Files.writeString(layout.taskJournal(), "update CAFE", StandardOpenOption.APPEND);

        assertThat(new CheckpointReader(layout).read().getFirst().updates()).containsExactly(running);
    }

    @Test
    void aRestartedWriterGoesOnAfterATornLine() throws Exception {
        open("t");
        TaskStatus running = update("t", TaskState.TASK_RUNNING, 1);
        writer.append(FRAMEWORK.getId(), running, () -> { });
        writer.close();
        Files.writeString(layout.taskJournal(), "update CAFE", StandardOpenOption.APPEND);

        writer = new CheckpointWriter(layout, Runnable::run);
        TaskStatus finished = update("t", TaskState.TASK_FINISHED, 2);
        writer.append(FRAMEWORK.getId(), finished, () -> { });
        writer.close();

        assertThat(new CheckpointReader(layout).read().getFirst().updates()).containsExactly(running, finished);
    }

    @Test
    void aForgottenTaskLeavesNothingBehind() throws Exception {
        TaskKey key = open("t");
        Files.createDirectories(layout.exit(key).getParent());
        Files.writeString(layout.exit(key), "0\n");
        writer.forget(key);
        writer.close();

        assertThat(new CheckpointReader(layout).read()).isEmpty();
        assertThat(layout.exit(key)).doesNotExist();
        assertThat(Files.readString(layout.taskJournal())).as("compacted at the next start").isNotEmpty();
        new CheckpointWriter(layout, Runnable::run).close();
        assertThat(Files.readString(layout.taskJournal())).isEmpty();
    }

    @Test
    void aRestartedWriterRemovesTheExitFilesOfTasksTheJournalNoLongerHolds() throws Exception {
        TaskKey kept = open("kept");
        TaskKey forgotten = new TaskKey(FRAMEWORK.getId(), TaskID.newBuilder().setValue("forgotten").build());
        writer.close();
        Files.createDirectories(layout.exit(kept).getParent());
        Files.writeString(layout.exit(kept), "0\n");
        Files.writeString(layout.exit(forgotten), "0\n"); // its forget was durable, its delete never ran
        Files.writeString(layout.exit(forgotten).resolveSibling("half.exit.tmp"), "");

        new CheckpointWriter(layout, Runnable::run).close();

        assertThat(layout.exit(kept)).exists();
        assertThat(layout.exit(forgotten)).doesNotExist();
        try (var files = Files.list(layout.exit(kept).getParent())) {
            assertThat(files).containsExactly(layout.exit(kept));
        }
    }

    @Test
    void theJournalIsCompactedOnceMostOfItIsForgotten() throws Exception {
        open("kept");
        for (int i = 0; i < CheckpointWriter.COMPACT_AT; i++) {
            TaskKey key = new TaskKey(FRAMEWORK.getId(), TaskID.newBuilder().setValue("gone-" + i).build());
            writer.task(FRAMEWORK, task("gone-" + i));
            writer.forget(key);
        }
        // Two batches later, the one holding the forgets has been compacted, if it was to be.
        for (int batch = 1; batch <= 2; batch++) {
            CountDownLatch durable = new CountDownLatch(1);
            writer.append(FRAMEWORK.getId(), update("kept", TaskState.TASK_RUNNING, batch), durable::countDown);
            assertThat(durable.await(30, TimeUnit.SECONDS)).isTrue();
        }

        assertThat(Files.readAllLines(layout.taskJournal()).size()).as("2 x %s lines written", CheckpointWriter.COMPACT_AT)
                .isLessThanOrEqualTo(CheckpointWriter.COMPACT_AT);
        writer.close();
        assertThat(new CheckpointReader(layout).read()).extracting(t -> t.task().getTaskId().getValue())
                .containsExactly("kept");
    }

    @Test
    void aTaskRelaunchedUnderTheSameIdKeepsTheExitFileTheEarlierRunsForgetWouldRemove() throws Exception {
        TaskKey key = open("t");
        Path exit = layout.exit(key);
        CountDownLatch relaunched = new CountDownLatch(1);
        // On the writer thread, between the batch that made the update durable and the next one.
        writer.append(FRAMEWORK.getId(), update("t", TaskState.TASK_FINISHED, 1), () -> {
            writer.forget(key);
            writer.task(FRAMEWORK, task("t"));
            try {
                Files.createDirectories(exit.getParent());
                Files.writeString(exit, "0\n"); // the new run's supervisor
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            relaunched.countDown();
        });
        assertThat(relaunched.await(30, TimeUnit.SECONDS)).isTrue();
        writer.close();

        assertThat(exit).exists();
        TaskCheckpoint read = new CheckpointReader(layout).read().getFirst();
        assertThat(read.updates()).as("the new run's, none yet").isEmpty();
        assertThat(read.exit()).isPresent();
    }

    @Test
    void aCompactedJournalKeepsWhatRecoveryNeeds() throws Exception {
        TaskKey key = open("t");
        ProcessStamp stamp = new ProcessStamp(1, 2, "boot");
        writer.process(key, stamp, "agent/fw.t");
        TaskStatus starting = update("t", TaskState.TASK_STARTING, 1);
        TaskStatus running = update("t", TaskState.TASK_RUNNING, 2);
        TaskStatus finished = update("t", TaskState.TASK_FINISHED, 3);
        writer.append(FRAMEWORK.getId(), starting, () -> { });
        writer.acknowledged(key, starting.getUuid());
        writer.append(FRAMEWORK.getId(), running, () -> { });
        writer.acknowledged(key, running.getUuid());
        writer.append(FRAMEWORK.getId(), finished, () -> { });
        writer.close();
        new CheckpointWriter(layout, Runnable::run).close(); // compacts at start

        TaskCheckpoint read = new CheckpointReader(layout).read().getFirst();
        assertThat(read.process()).contains(stamp);
        assertThat(read.container()).contains("agent/fw.t");
        assertThat(read.updates()).as("the last acknowledged and the unacknowledged").containsExactly(running, finished);
        assertThat(read.unacknowledged()).containsExactly(finished);
        assertThat(read.acknowledgedState()).isEqualTo(TaskState.TASK_RUNNING);
    }

    @Test
    void anIdThatIsNoFileNameIsJournaledButGetsNoFile() throws Exception {
        open("t");
        CountDownLatch durable = new CountDownLatch(1);
        TaskKey escaping = new TaskKey(FRAMEWORK.getId(), TaskID.newBuilder().setValue("../../escape").build());
        writer.append(FRAMEWORK.getId(), update("../../escape", TaskState.TASK_ERROR, 3), durable::countDown);
        writer.forget(escaping);
        writer.close();

        assertThat(durable.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(Files.exists(layout.frameworkDir(FRAMEWORK.getId()).resolve("escape"))).isFalse();
        assertThat(Files.exists(layout.frameworks().resolve("escape"))).isFalse();
    }

    @Test
    void journalLinesWithoutTheirTaskInfoAreLeftOut() throws Exception {
        layout = new CheckpointLayout(workDir);
        TaskKey orphan = new TaskKey(FRAMEWORK.getId(), TaskID.newBuilder().setValue("x").build());
        Files.createDirectories(layout.root());
        Files.writeString(layout.taskJournal(), TaskJournal.line(TaskJournal.Kind.UPDATE, orphan,
                update("x", TaskState.TASK_RUNNING, 1).toByteArray()) + "\nnot a journal line\n");

        assertThat(new CheckpointReader(layout).read()).isEmpty();
    }

    @Test
    void reconnectReattachesToALiveTaskAndCleanupKillsIt() throws Exception {
        TaskKey key = open("t");
        ProcessStamp stamp = launch(key, "exec sleep 60");
        writer.close();

        List<RecoveredTask> reconnected = AgentRecovery.recover(layout, RecoveryMode.RECONNECT).tasks();
        assertThat(reconnected.getFirst().decision()).isEqualTo(new RecoveryDecision.Reattach(stamp));
        assertThat(stamp.stillRuns()).isTrue();

        List<RecoveredTask> cleaned = AgentRecovery.recover(layout, RecoveryMode.CLEANUP).tasks();
        assertThat(cleaned.getFirst().decision()).isInstanceOf(RecoveryDecision.Kill.class);
        await().atMost(PATIENCE).until(() -> !stamp.stillRuns());
    }

    @Test
    void aTaskThatEndedWhileNoAgentWatchedIsReportedWithItsExitCode() throws Exception {
        TaskKey key = open("t");
        ProcessStamp stamp = launch(key, "while [ ! -e gate ]; do sleep 0.05; done; exit 7");
        writer.close();
        Files.createFile(workDir.resolve("gate"));
        await().atMost(PATIENCE).until(() -> !stamp.stillRuns());

        assertThat(AgentRecovery.recover(layout, RecoveryMode.RECONNECT).tasks().getFirst().decision())
                .isEqualTo(new RecoveryDecision.Report(TaskState.TASK_FAILED,
                        TaskStatus.Reason.REASON_COMMAND_EXECUTOR_FAILED, "Command exited with status 7"));
    }

    @Test
    void anExecutorIsReadBackAndKilledWhenItsFrameworkDoesNotCheckpoint() throws Exception {
        TaskKey key = open("t");
        ExecutorInfo info = ExecutorInfo.newBuilder().setExecutorId(ExecutorID.newBuilder().setValue("e"))
                .setCommand(CommandInfo.newBuilder().setValue("x")).build();
        writer.task(FRAMEWORK, task("t").toBuilder().clearCommand().setExecutor(info).build());
        ProcessStamp stamp = launch(key, "exec sleep 60");
        writer.executor(FRAMEWORK.getId(), info, "c-1", stamp, "agent/executor-c-1");
        writer.close();

        ExecutorCheckpoint read = new CheckpointReader(layout).readExecutors().getFirst();
        assertThat(read).isEqualTo(new ExecutorCheckpoint(FRAMEWORK, info, "c-1", stamp,
                Optional.of("agent/executor-c-1"), Optional.empty()));
        Recovery recovery = AgentRecovery.recover(layout, RecoveryMode.RECONNECT);
        assertThat(recovery.executors().getFirst().decision()).as("its framework does not checkpoint")
                .isInstanceOf(ExecutorDecision.Kill.class);
        assertThat(recovery.tasks().getFirst().decision()).isInstanceOf(RecoveryDecision.Report.class);
        await().atMost(PATIENCE).until(() -> !stamp.stillRuns());
    }

    @Test
    void aForgottenExecutorLeavesNothingBehind() throws Exception {
        open("t");
        ExecutorInfo info = ExecutorInfo.newBuilder().setExecutorId(ExecutorID.newBuilder().setValue("e")).build();
        writer.executor(FRAMEWORK.getId(), info, "c-1", new ProcessStamp(1, 2, "boot"), null);
        writer.forgetExecutor(FRAMEWORK.getId(), info.getExecutorId());
        writer.close();

        assertThat(Files.exists(layout.executorDir(FRAMEWORK.getId(), info.getExecutorId()))).isFalse();
        assertThat(new CheckpointReader(layout).readExecutors()).isEmpty();
    }

    /** A writer with task {@code id} of FRAMEWORK checkpointed and its RUNNING update journaled. */
    private TaskKey open(String id) {
        layout = new CheckpointLayout(workDir);
        writer = new CheckpointWriter(layout, Runnable::run);
        writer.task(FRAMEWORK, task(id));
        return new TaskKey(FRAMEWORK.getId(), TaskID.newBuilder().setValue(id).build());
    }

    /** Starts {@code command} under its supervisor, as the agent does, and checkpoints its stamp. */
    private ProcessStamp launch(TaskKey key, String command) throws Exception {
        Files.createDirectories(layout.exit(key).getParent());
        if (launcher == null) {
            launcher = new ProcessLauncher(workDir.resolve("bin"));
        }
        ProcessGroup process = launcher.launch(new LaunchSpec(List.of("/bin/sh", "-c", command), Map.of(), workDir),
                Confinement.NONE, layout.exit(key));
        started.add(process);
        ProcessStamp stamp = ProcessStamp.of(process.pid()).orElseThrow();
        writer.process(key, stamp, null);
        writer.append(key.frameworkId(), update(key.taskId().getValue(), TaskState.TASK_RUNNING, 9), () -> { });
        return stamp;
    }

    private static TaskInfo task(String id) {
        return TaskInfo.newBuilder().setName(id).setTaskId(TaskID.newBuilder().setValue(id))
                .setAgentId(org.apache.mesos.v1.Protos.AgentID.newBuilder().setValue("a"))
                .setCommand(CommandInfo.newBuilder().setValue("sleep 1")).build();
    }

    private static TaskStatus update(String task, TaskState state, int uuid) {
        return TaskStatus.newBuilder().setTaskId(TaskID.newBuilder().setValue(task)).setState(state)
                .setUuid(ByteString.copyFrom(new byte[] {(byte) uuid})).build();
    }
}
