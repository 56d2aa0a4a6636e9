package io.tandem.agent.recovery;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.tandem.agent.status.TaskKey;
import io.tandem.agent.status.UpdateJournal;
import io.tandem.api.MesosJson;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the agent's checkpoint ({@link CheckpointLayout}) off the agent loop, on one writer
 * thread, in the order things happened. Writes are batched: the thread takes every write waiting,
 * makes its file changes (framework and executor files), appends its tasks' lines to the task
 * journal in one write and one fsync (one fsync per update would cap the agent at a few hundred
 * updates a second), then runs the callbacks, such as "this update is durable: send it", on the loop.
 * Once the journal holds {@link #COMPACT_AT} lines and four times as many as its live tasks need, it
 * is rewritten with only those (atomically: a new file renamed over it).
 *
 * <p>Thread-safe: any thread may submit. A write that fails is logged and its callback still runs:
 * the agent keeps working without the checkpoint rather than stop delivering updates.
 */
public final class CheckpointWriter implements UpdateJournal, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CheckpointWriter.class);
    private static final Duration CLOSE_PATIENCE = Duration.ofSeconds(30);
    /** The journal's length, in lines, from which it is compacted (when mostly dead). */
    static final int COMPACT_AT = 4096;
    private static final String EXIT_SUFFIX = ".exit";

    private final CheckpointLayout layout;
    private final Executor loop;
    private final BlockingQueue<Write> queue = new LinkedBlockingQueue<>();
    private final Map<FrameworkID, FrameworkInfo> frameworksWritten = new ConcurrentHashMap<>();
    /** How often each task id was checkpointed for launch: a relaunch keeps the earlier run's forget off its exit file. */
    private final Map<TaskKey, Long> launches = new ConcurrentHashMap<>();
    private final Thread thread;
    /** Guarded by {@code this}: once set, no write is queued any more. */
    private boolean closed;

    // The writer thread's own (the constructor's before it starts).
    /** Each task still in the journal and what a compaction keeps of it. */
    private final Map<TaskKey, LiveTask> live = new LinkedHashMap<>();
    private int liveLines;
    private int journalLines;
    private int compactAt = COMPACT_AT;
    /** False when the journal an earlier run left could not be read: it is then only appended to. */
    private boolean compactable = true;
    /** The journal's length up to its last complete, fsynced line; -1 when not known. */
    private long goodSize = -1;
    private FileChannel journal;
    private boolean stopped;

    /**
     * One change: a file operation ({@code action}; with {@code afterwards}, run only once the batch's
     * journal lines are durable) or a journal line of task {@code key} (with the uuid of the update
     * it journals or acknowledges); then what to do on the loop. The payload is encoded on the
     * writer thread, not on the agent loop that submits it.
     */
    private record Write(IoAction action, boolean afterwards, TaskKey key, TaskJournal.Kind kind,
                         Supplier<byte[]> payload, ByteString uuid, Runnable then) {
        static Write file(IoAction action, boolean afterwards, Runnable then) {
            return new Write(action, afterwards, null, null, null, null, then);
        }

        static Write journal(TaskKey key, TaskJournal.Kind kind, Supplier<byte[]> payload, ByteString uuid,
                             Runnable then) {
            return new Write(null, false, key, kind, payload, uuid, then);
        }

        String line() {
            return TaskJournal.line(kind, key, payload.get());
        }
    }

    @FunctionalInterface
    private interface IoAction {
        void run() throws IOException;
    }

    /**
     * What a compaction keeps of a task: its TaskInfo, its last process, every acknowledgement (the
     * uuids tell a resent update from a new one), the last acknowledged update (the state the
     * framework knows) and the updates not yet acknowledged, in that order.
     */
    private static final class LiveTask {
        String task;
        String process;
        String lastAcknowledged;
        final List<String> acknowledgements = new ArrayList<>();
        final Map<ByteString, String> unacknowledged = new LinkedHashMap<>();

        int lines() {
            return (task == null ? 0 : 1) + (process == null ? 0 : 1) + (lastAcknowledged == null ? 0 : 1)
                    + acknowledgements.size() + unacknowledged.size();
        }

        void appendTo(StringBuilder text) {
            for (String line : new String[] {task, process, lastAcknowledged}) {
                if (line != null) {
                    text.append(line).append('\n');
                }
            }
            for (String line : unacknowledged.values()) {
                text.append(line).append('\n');
            }
            for (String line : acknowledgements) {
                text.append(line).append('\n');
            }
        }
    }

    /** A writer that goes on with the task journal an earlier run left (rewritten without what it no longer needs). */
    public CheckpointWriter(CheckpointLayout layout, Executor loop) {
        this.layout = layout;
        this.loop = loop;
        try {
            CheckpointFiles.removeTemporaries(layout.root(), layout.taskJournal().getFileName().toString());
        } catch (IOException e) {
            log.debug("cannot remove the task journal's temporary files: {}", e.toString());
        }
        if (Files.exists(layout.taskJournal())) {
            load();
            if (compactable) {
                compact();
            }
        }
        if (compactable) {
            removeStaleExits();
        }
        this.thread = Thread.ofPlatform().name("checkpoint-writer").daemon().start(this::run);
    }

    /**
     * Removes the exit files of tasks the journal no longer holds: forgotten when a crash came before
     * their file was removed, or never journaled (the agent stopped between launch and checkpoint).
     */
    private void removeStaleExits() {
        try (DirectoryStream<Path> frameworks = Files.newDirectoryStream(layout.frameworks())) {
            for (Path framework : frameworks) {
                FrameworkID id = FrameworkID.newBuilder().setValue(framework.getFileName().toString()).build();
                Path exits = framework.resolve("exits");
                if (!Files.isDirectory(exits)) {
                    continue;
                }
                try (DirectoryStream<Path> files = Files.newDirectoryStream(exits)) {
                    for (Path file : files) {
                        String name = file.getFileName().toString();
                        String task = name.endsWith(EXIT_SUFFIX) ? name.substring(0, name.length() - EXIT_SUFFIX.length()) : null;
                        if (task == null || !live.containsKey(new TaskKey(id, TaskID.newBuilder().setValue(task).build()))) {
                            Files.deleteIfExists(file);
                        }
                    }
                }
            }
        } catch (NoSuchFileException e) {
            // nothing checkpointed yet
        } catch (IOException e) {
            log.warn("cannot remove the exit files of forgotten tasks: {}", e.toString());
        }
    }

    public CheckpointLayout layout() {
        return layout;
    }

    /** Checkpoints a task about to launch, and its framework's info when it is new or changed. */
    public void task(FrameworkInfo framework, TaskInfo task) {
        TaskKey key = new TaskKey(framework.getId(), task.getTaskId());
        launches.merge(key, 1L, Long::sum);
        if (!framework.equals(frameworksWritten.put(framework.getId(), framework))) {
            Path file = layout.frameworkInfo(framework.getId());
            submit(file.getParent(), 1, Write.file(() -> {
                Files.createDirectories(file.getParent());
                CheckpointFiles.writeAtomically(file, MesosJson.print(framework));
            }, false, null));
        }
        submit(Write.journal(key, TaskJournal.Kind.TASK, task::toByteArray, null, null));
    }

    /** Checkpoints who a started task's supervisor process is, and its container (null without isolation). */
    public void process(TaskKey key, ProcessStamp stamp, String container) {
        String text = stamp.format() + "\n" + (container == null ? "" : container);
        submit(Write.journal(key, TaskJournal.Kind.PROCESS, () -> text.getBytes(StandardCharsets.UTF_8), null, null));
    }

    /**
     * Checkpoints a started executor: its info, who its supervisor process is, its container (null
     * without isolation) and container id. Written once the process runs, so a checkpointed
     * executor always has a process to look for.
     */
    public void executor(FrameworkID frameworkId, ExecutorInfo info, String containerId, ProcessStamp stamp,
                         String container) {
        Path dir = layout.executorDir(frameworkId, info.getExecutorId());
        String process = stamp.format() + "\n" + (container == null ? "" : container) + "\n" + containerId + "\n";
        submit(dir, 3, Write.file(() -> {
            Files.createDirectories(dir);
            CheckpointFiles.writeAtomically(layout.executorInfo(frameworkId, info.getExecutorId()), MesosJson.print(info));
            CheckpointFiles.writeAtomically(layout.executorProcess(frameworkId, info.getExecutorId()), process);
        }, false, null));
    }

    /** Forgets an executor that has ended (its tasks are forgotten one by one, as they are acknowledged). */
    public void forgetExecutor(FrameworkID frameworkId, ExecutorID executorId) {
        Path dir = layout.executorDir(frameworkId, executorId);
        submit(dir, 3, Write.file(() -> deleteTree(dir), false, null));
    }

    @Override
    public void append(FrameworkID frameworkId, TaskStatus status, Runnable durable) {
        TaskKey key = new TaskKey(frameworkId, status.getTaskId());
        submit(Write.journal(key, TaskJournal.Kind.UPDATE, status::toByteArray, status.getUuid(), durable));
    }

    @Override
    public void acknowledged(TaskKey key, ByteString uuid) {
        submit(Write.journal(key, TaskJournal.Kind.ACK, uuid::toByteArray, uuid, null));
    }

    /** Forgets an ended task: gone from the journal, its exit file removed unless the id was launched again meanwhile. */
    @Override
    public void forget(TaskKey key) {
        submit(Write.journal(key, TaskJournal.Kind.FORGET, () -> null, null, null));
        Long launch = launches.get(key);
        Path exit = layout.exit(key);
        submit(exit, 3, Write.file(() -> {
            if (Objects.equals(launches.get(key), launch)) {
                Files.deleteIfExists(exit);
                if (launch != null) {
                    launches.remove(key, launch);
                }
            }
        }, true, null));
    }

    /** Writes everything submitted so far, then stops the writer thread; later writes are not made (their callbacks run). */
    @Override
    public void close() {
        CompletableFuture<Void> drained = new CompletableFuture<>();
        synchronized (this) {
            if (closed) {
                return;
            }
            queue.add(Write.file(() -> {
                synchronized (this) {
                    closed = true;
                }
                List<Write> late = new ArrayList<>();
                queue.drainTo(late);
                write(late);
                stopped = true;
                closeJournal();
                drained.complete(null);
            }, true, null));
        }
        try {
            drained.get(CLOSE_PATIENCE.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("the checkpoint writer did not finish: {}", e.toString());
            thread.interrupt();
        }
    }

    /** Submits a file change to {@code path}, which must lie {@code depth} names below the frameworks' directory. */
    private void submit(Path path, int depth, Write write) {
        Path frameworks = layout.frameworks();
        if (!path.normalize().equals(path) || !path.startsWith(frameworks)
                || path.getNameCount() != frameworks.getNameCount() + depth) {
            // An id that is no file name (the agent refuses such tasks, TASK_ERROR): no file of it to keep.
            log.debug("not checkpointing {}: not a file of its own below {}", path, frameworks);
            if (write.then() != null) {
                loop.execute(write.then());
            }
            return;
        }
        submit(write);
    }

    private void submit(Write write) {
        synchronized (this) {
            if (!closed) {
                queue.add(write);
                return;
            }
        }
        log.warn("checkpoint write after the writer closed; not written");
        if (write.then() != null) {
            loop.execute(write.then());
        }
    }

    private void run() {
        List<Write> batch = new ArrayList<>();
        while (!stopped) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                closeJournal();
                return;
            }
            queue.drainTo(batch);
            try {
                write(batch);
            } catch (RuntimeException e) {
                log.error("the checkpoint writer failed on a batch of {} writes; going on", batch.size(), e);
            }
            batch.clear();
        }
    }

    /** File changes, then the journal lines (one write, one fsync), then the callbacks, then what waited for them. */
    private void write(List<Write> batch) {
        List<String> lines = new ArrayList<>();
        for (Write write : batch) {
            if (write.kind() != null) {
                String line = write.line();
                lines.add(line);
                remember(write.key(), write.kind(), line, write.uuid());
            } else if (!write.afterwards()) {
                perform(write.action());
            }
        }
        if (!lines.isEmpty()) {
            appendToJournal(lines);
        }
        for (Write write : batch) {
            if (write.then() != null) {
                loop.execute(write.then());
            }
        }
        for (Write write : batch) {
            if (write.afterwards()) {
                perform(write.action());
            }
        }
        if (!stopped && compactable && journalLines >= compactAt && journalLines > 4 * liveLines) {
            compact();
        }
    }

    private static void perform(IoAction action) {
        try {
            action.run();
        } catch (IOException | RuntimeException e) {
            log.warn("cannot write the checkpoint: {}", e.toString());
        }
    }

    private void remember(TaskKey key, TaskJournal.Kind kind, String line, ByteString uuid) {
        journalLines++;
        LiveTask task = kind == TaskJournal.Kind.TASK ? null : live.get(key);
        liveLines -= task == null ? 0 : task.lines();
        switch (kind) {
            case TASK -> {
                LiveTask earlier = live.remove(key);
                liveLines -= earlier == null ? 0 : earlier.lines();
                task = new LiveTask();
                task.task = line;
            }
            case FORGET -> task = null;
            default -> {
                if (task == null) {
                    task = new LiveTask(); // lines without their TaskInfo: left out when read, dropped at the next start
                }
                switch (kind) {
                    case PROCESS -> task.process = line;
                    case UPDATE -> task.unacknowledged.put(uuid, line);
                    default -> {
                        String acknowledged = task.unacknowledged.remove(uuid);
                        task.lastAcknowledged = acknowledged != null ? acknowledged : task.lastAcknowledged;
                        task.acknowledgements.add(line);
                    }
                }
            }
        }
        if (task == null) {
            live.remove(key);
        } else {
            live.put(key, task);
            liveLines += task.lines();
        }
    }

    private void appendToJournal(List<String> lines) {
        StringBuilder text = new StringBuilder(lines.size() * 128);
        for (String line : lines) {
            text.append(line).append('\n');
        }
        try {
            if (journal == null) {
                openJournal();
            }
            ByteBuffer buffer = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
            while (buffer.hasRemaining()) {
                journal.write(buffer);
            }
            journal.force(false);
            goodSize = journal.position();
        } catch (IOException e) {
            log.warn("cannot append to the task journal {}: {}", layout.taskJournal(), e.toString());
            closeJournal(); // reopened at the next batch, cut back to its last complete line
        }
    }

    /** Opens the journal for appending, first cutting off whatever follows its last complete line. */
    private void openJournal() throws IOException {
        Files.createDirectories(layout.root());
        boolean created = !Files.exists(layout.taskJournal());
        journal = FileChannel.open(layout.taskJournal(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        if (goodSize >= 0 && journal.size() > goodSize) {
            journal.truncate(goodSize);
        }
        journal.position(journal.size());
        if (created) {
            CheckpointFiles.syncDirectory(layout.root());
        }
    }

    /** Replaces the journal with what its live tasks need; after a failure, tries again only once it has doubled. */
    private void compact() {
        StringBuilder text = new StringBuilder(liveLines * 128);
        live.values().forEach(task -> task.appendTo(text));
        closeJournal();
        try {
            Files.createDirectories(layout.root());
            byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
            CheckpointFiles.writeAtomically(layout.taskJournal(), bytes);
            log.debug("compacted the task journal from {} to {} lines", journalLines, liveLines);
            journalLines = liveLines;
            goodSize = bytes.length;
            compactAt = COMPACT_AT;
        } catch (IOException e) {
            log.warn("cannot compact the task journal {}: {}", layout.taskJournal(), e.toString());
            compactAt = Math.max(COMPACT_AT, 2 * journalLines);
        }
    }

    /**
     * Takes in the journal an earlier run left: what its live tasks need (a task whose TaskInfo is
     * missing is dropped, as the reader leaves it out) and where its last complete line ends.
     */
    private void load() {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(layout.taskJournal());
        } catch (IOException e) {
            log.warn("cannot read the task journal {}; appending to it, never compacting it: {}",
                    layout.taskJournal(), e.toString());
            compactable = false;
            return;
        }
        int end = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                String line = new String(bytes, end, i - end, StandardCharsets.UTF_8);
                TaskJournal.parse(line).ifPresent(entry -> remember(entry.key(), entry.kind(), line, uuidOf(entry)));
                end = i + 1;
            }
        }
        goodSize = end;
        live.values().removeIf(task -> task.task == null);
        liveLines = live.values().stream().mapToInt(LiveTask::lines).sum();
    }

    private static ByteString uuidOf(TaskJournal.Entry entry) {
        try {
            return switch (entry.kind()) {
                case UPDATE -> TaskStatus.parseFrom(entry.payload()).getUuid();
                case ACK -> ByteString.copyFrom(entry.payload());
                default -> null;
            };
        } catch (InvalidProtocolBufferException e) {
            return ByteString.EMPTY;
        }
    }

    private void closeJournal() {
        if (journal != null) {
            try {
                journal.close();
            } catch (IOException e) {
                log.debug("closing the task journal: {}", e.toString());
            }
            journal = null;
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
