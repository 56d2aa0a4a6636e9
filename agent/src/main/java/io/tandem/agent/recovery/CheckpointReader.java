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
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * crash can leave a mark: a torn last line of the task journal is skipped, an unreadable line is
 * skipped with a warning, a task without its TaskInfo line is left out (the writer drops it too).
 *
 * <p>Stateless; blocking I/O, run once at start before the agent loop takes over.
 */
public final class CheckpointReader {
    private static final Logger log = LoggerFactory.getLogger(CheckpointReader.class);

    private final CheckpointLayout layout;

    public CheckpointReader(CheckpointLayout layout) {
        this.layout = layout;
    }

    /** Every checkpointed task, in the order they were launched. */
    public List<TaskCheckpoint> read() throws IOException {
        Map<TaskKey, Partial> partials = new LinkedHashMap<>();
        for (String line : CheckpointFiles.readLines(layout.taskJournal())) {
            Optional<TaskJournal.Entry> entry = TaskJournal.parse(line);
            if (entry.isEmpty()) {
                log.warn("skipping an unreadable line of the task journal: '{}'", line);
                continue;
            }
            TaskKey key = entry.get().key();
            if (entry.get().kind() == TaskJournal.Kind.FORGET) {
                partials.remove(key);
                continue;
            }
            if (entry.get().kind() == TaskJournal.Kind.TASK) {
                partials.remove(key); // lines before a task's TaskInfo belong to no launch of it
            }
            try {
                partials.computeIfAbsent(key, k -> new Partial()).add(entry.get());
            } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
                log.warn("skipping an unreadable {} line of task {} in the task journal: {}", entry.get().kind(), key,
                        e.getMessage());
            }
        }
        Map<FrameworkID, FrameworkInfo> frameworks = new HashMap<>();
        List<TaskCheckpoint> tasks = new ArrayList<>();
        for (Map.Entry<TaskKey, Partial> task : partials.entrySet()) {
            TaskKey key = task.getKey();
            Partial partial = task.getValue();
            if (partial.task == null) {
                log.warn("task {} has lines in the task journal but no TaskInfo; it is left out", key);
                continue;
            }
            FrameworkInfo framework = frameworks.get(key.frameworkId());
            if (framework == null) {
                framework = readFramework(key.frameworkId());
                frameworks.put(key.frameworkId(), framework);
            }
            List<TaskStatus> unacknowledged = partial.updates.stream()
                    .filter(u -> !partial.acknowledged.contains(u.getUuid())).toList();
            tasks.add(new TaskCheckpoint(framework, partial.task, partial.stamp, partial.container, partial.updates,
                    unacknowledged, ExitStatusFile.read(layout.exit(key))));
        }
        return tasks;
    }

    /** What the journal says of one task so far. */
    private static final class Partial {
        TaskInfo task;
        Optional<ProcessStamp> stamp = Optional.empty();
        Optional<String> container = Optional.empty();
        final List<TaskStatus> updates = new ArrayList<>();
        final Set<ByteString> acknowledged = new HashSet<>();

        void add(TaskJournal.Entry entry) throws InvalidProtocolBufferException {
            switch (entry.kind()) {
                case TASK -> task = TaskInfo.parseFrom(entry.payload());
                case PROCESS -> {
                    String[] lines = entry.text().split("\n", -1);
                    stamp = Optional.of(ProcessStamp.parse(lines[0]));
                    container = lines.length > 1 && !lines[1].isBlank() ? Optional.of(lines[1]) : Optional.empty();
                }
                case UPDATE -> updates.add(TaskStatus.parseFrom(entry.payload()));
                case ACK -> acknowledged.add(ByteString.copyFrom(entry.payload()));
                case FORGET -> { }
            }
        }
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

    private static List<Path> children(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(Files::isDirectory).sorted().toList();
        }
    }
}
