package io.tandem.agent.recovery;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.tandem.agent.process.ExitStatusFile;
import io.tandem.agent.status.TaskKey;
import io.tandem.api.MesosJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads what an earlier run of the agent checkpointed ({@link CheckpointLayout}). Lenient where a
 * crash can leave a mark: a torn last line of an update log is skipped, a task directory without
 * its {@code task.json} (the crash came before it was written) is left out and removed.
 *
 * <p>Stateless; blocking I/O, run once at start before the agent loop takes over.
 */
public final class CheckpointReader {
    private static final Logger log = LoggerFactory.getLogger(CheckpointReader.class);
    private static final Base64.Decoder BASE64 = Base64.getDecoder();

    private final CheckpointLayout layout;

    public CheckpointReader(CheckpointLayout layout) {
        this.layout = layout;
    }

    /** Every checkpointed task, framework by framework. */
    public List<TaskCheckpoint> read() throws IOException {
        List<TaskCheckpoint> tasks = new ArrayList<>();
        for (Path frameworkDir : children(layout.frameworks())) {
            FrameworkID id = FrameworkID.newBuilder().setValue(frameworkDir.getFileName().toString()).build();
            FrameworkInfo framework = readFramework(id);
            for (Path taskDir : children(frameworkDir.resolve("tasks"))) {
                readTask(framework, taskDir).ifPresent(tasks::add);
            }
        }
        return tasks;
    }

    /** Every checkpointed executor, framework by framework. */
    public List<ExecutorCheckpoint> readExecutors() throws IOException {
        List<ExecutorCheckpoint> executors = new ArrayList<>();
        for (Path frameworkDir : children(layout.frameworks())) {
            Path executorsDir = frameworkDir.resolve("executors");
            if (!Files.isDirectory(executorsDir)) {
                continue;
            }
            FrameworkID id = FrameworkID.newBuilder().setValue(frameworkDir.getFileName().toString()).build();
            FrameworkInfo framework = readFramework(id);
            for (Path executorDir : children(executorsDir)) {
                readExecutor(framework, executorDir).ifPresent(executors::add);
            }
        }
        return executors;
    }

    private Optional<ExecutorCheckpoint> readExecutor(FrameworkInfo framework, Path dir) throws IOException {
        Path infoFile = dir.resolve("executor.json");
        List<String> process = CheckpointFiles.readLines(dir.resolve("process"));
        if (!Files.exists(infoFile) || process.size() < 3) {
            log.warn("{} is incomplete (the agent stopped while writing it); removing it", dir);
            CheckpointWriter.deleteTree(dir);
            return Optional.empty();
        }
        ExecutorInfo info = MesosJson.parse(Files.readString(infoFile, StandardCharsets.UTF_8),
                ExecutorInfo.newBuilder()).build();
        Optional<String> container = process.get(1).isBlank() ? Optional.empty() : Optional.of(process.get(1));
        return Optional.of(new ExecutorCheckpoint(framework, info, process.get(2).strip(),
                ProcessStamp.parse(process.getFirst()), container,
                ExitStatusFile.read(layout.executorExit(framework.getId(), info.getExecutorId()))));
    }

    private FrameworkInfo readFramework(FrameworkID id) throws IOException {
        Path file = layout.frameworkInfo(id);
        if (Files.exists(file)) {
            return MesosJson.parse(Files.readString(file, StandardCharsets.UTF_8), FrameworkInfo.newBuilder()).build();
        }
        log.warn("no framework info checkpointed for framework {}; its tasks are recovered without it", id.getValue());
        return FrameworkInfo.newBuilder().setId(id).setUser("").setName("unknown framework (recovered)").build();
    }

    private Optional<TaskCheckpoint> readTask(FrameworkInfo framework, Path taskDir) throws IOException {
        Path taskFile = taskDir.resolve("task.json");
        if (!Files.exists(taskFile)) {
            log.warn("{} has no task.json (the agent stopped before writing it); removing it", taskDir);
            CheckpointWriter.deleteTree(taskDir);
            return Optional.empty();
        }
        TaskInfo task = MesosJson.parse(Files.readString(taskFile, StandardCharsets.UTF_8), TaskInfo.newBuilder()).build();
        TaskKey key = new TaskKey(framework.getId(), task.getTaskId());
        Optional<ProcessStamp> stamp = Optional.empty();
        Optional<String> container = Optional.empty();
        List<String> process = CheckpointFiles.readLines(layout.process(key));
        if (!process.isEmpty()) {
            stamp = Optional.of(ProcessStamp.parse(process.getFirst()));
            container = process.size() > 1 && !process.get(1).isBlank() ? Optional.of(process.get(1)) : Optional.empty();
        }
        List<TaskStatus> updates = new ArrayList<>();
        Set<ByteString> acknowledged = new HashSet<>();
        readUpdates(key, updates, acknowledged);
        List<TaskStatus> unacknowledged = updates.stream().filter(u -> !acknowledged.contains(u.getUuid())).toList();
        return Optional.of(new TaskCheckpoint(framework, task, stamp, container, updates, unacknowledged,
                ExitStatusFile.read(layout.exit(key))));
    }

    private void readUpdates(TaskKey key, List<TaskStatus> updates, Set<ByteString> acknowledged) throws IOException {
        for (String line : CheckpointFiles.readLines(layout.updates(key))) {
            try {
                if (line.startsWith("update ")) {
                    updates.add(TaskStatus.parseFrom(BASE64.decode(line.substring("update ".length()))));
                } else if (line.startsWith("ack ")) {
                    acknowledged.add(ByteString.copyFrom(BASE64.decode(line.substring("ack ".length()))));
                } else {
                    log.warn("skipping an unreadable line in the update log of task {}: '{}'", key, line);
                }
            } catch (IllegalArgumentException | InvalidProtocolBufferException e) {
                log.warn("skipping an unreadable line in the update log of task {}: {}", key, e.getMessage());
            }
        }
    }

    private static List<Path> children(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(Files::isDirectory).sorted().toList();
        }
    }
}
