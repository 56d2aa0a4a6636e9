package io.tandem.agent.recovery;

import com.google.protobuf.ByteString;
import io.tandem.agent.status.TaskKey;
import io.tandem.agent.status.UpdateJournal;
import io.tandem.api.MesosJson;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
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

    private final CheckpointLayout layout;
    private final Executor loop;
    private final BlockingQueue<Write> queue = new LinkedBlockingQueue<>();
    private final Map<FrameworkID, FrameworkInfo> frameworksWritten = new java.util.concurrent.ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean closed;

    // The writer thread's own (the constructor's before it starts).
    /** Each task still in the journal, with its lines: what a compaction keeps. */
    private final Map<TaskKey, List<String>> live = new LinkedHashMap<>();
    private int liveLines;
    private int journalLines;
    private FileChannel journal;
    private boolean stopped;

    /**
     * One change: a file operation ({@code action}; with {@code afterwards}, run only once the batch's
     * journal lines are durable) or a journal line of task {@code key}; then what to do on the loop.
     */
    private record Write(IoAction action, boolean afterwards, TaskKey key, String line, Runnable then) {
        static Write file(IoAction action, Runnable then) {
            return new Write(action, false, null, null, then);
        }

        static Write journal(TaskKey key, String line, Runnable then) {
            return new Write(null, false, key, line, then);
        }
    }

    @FunctionalInterface
    private interface IoAction {
        void run() throws IOException;
    }

    /** A writer that goes on with the task journal an earlier run left (rewritten without what it no longer needs). */
    public CheckpointWriter(CheckpointLayout layout, Executor loop) {
        this.layout = layout;
        this.loop = loop;
        if (Files.exists(layout.taskJournal())) {
            load();
            compact();
        }
        this.thread = Thread.ofPlatform().name("checkpoint-writer").daemon().start(this::run);
    }

    public CheckpointLayout layout() {
        return layout;
    }

    /** Checkpoints a task about to launch, and its framework's info when it is new or changed. */
    public void task(FrameworkInfo framework, TaskInfo task) {
        TaskKey key = new TaskKey(framework.getId(), task.getTaskId());
        if (!framework.equals(frameworksWritten.put(framework.getId(), framework))) {
            Path file = layout.frameworkInfo(framework.getId());
            submit(file.getParent(), 1, Write.file(() -> {
                Files.createDirectories(file.getParent());
                CheckpointFiles.writeAtomically(file, MesosJson.print(framework));
            }, null));
        }
        submit(Write.journal(key, TaskJournal.line(TaskJournal.Kind.TASK, key, task.toByteArray()), null));
    }

    /** Checkpoints who a started task's supervisor process is, and its container (null without isolation). */
    public void process(TaskKey key, ProcessStamp stamp, String container) {
        String text = stamp.format() + "\n" + (container == null ? "" : container);
        submit(Write.journal(key, TaskJournal.line(TaskJournal.Kind.PROCESS, key, text), null));
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
        }, null));
    }

    /** Forgets an executor that has ended (its tasks are forgotten one by one, as they are acknowledged). */
    public void forgetExecutor(FrameworkID frameworkId, ExecutorID executorId) {
        Path dir = layout.executorDir(frameworkId, executorId);
        submit(dir, 3, Write.file(() -> deleteTree(dir), null));
    }

    @Override
    public void append(FrameworkID frameworkId, TaskStatus status, Runnable durable) {
        TaskKey key = new TaskKey(frameworkId, status.getTaskId());
        submit(Write.journal(key, TaskJournal.line(TaskJournal.Kind.UPDATE, key, status.toByteArray()), durable));
    }

    @Override
    public void acknowledged(TaskKey key, ByteString uuid) {
        submit(Write.journal(key, TaskJournal.line(TaskJournal.Kind.ACK, key, uuid.toByteArray()), null));
    }

    @Override
    public void forget(TaskKey key) {
        submit(Write.journal(key, TaskJournal.line(TaskJournal.Kind.FORGET, key, (byte[]) null), null));
        Path exit = layout.exit(key);
        submit(exit, 3, new Write(() -> Files.deleteIfExists(exit), true, null, null, null));
    }

    /** Writes everything submitted so far, then stops the writer thread. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        CompletableFuture<Void> drained = new CompletableFuture<>();
        queue.add(new Write(() -> {
            stopped = true;
            closeJournal();
            drained.complete(null);
        }, true, null, null, null));
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
        if (closed) {
            log.warn("checkpoint write after the writer closed; not written");
            if (write.then() != null) {
                loop.execute(write.then());
            }
            return;
        }
        queue.add(write);
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
            write(batch);
            batch.clear();
        }
    }

    /** File changes, then the journal lines (one write, one fsync), then the callbacks, then what waited for them. */
    private void write(List<Write> batch) {
        List<String> lines = new ArrayList<>();
        for (Write write : batch) {
            if (write.line() != null) {
                lines.add(write.line());
                remember(write.key(), write.line());
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
        if (!stopped && journalLines >= COMPACT_AT && journalLines > 4 * liveLines) {
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

    private void remember(TaskKey key, String line) {
        journalLines++;
        if (line.startsWith("forget ")) {
            List<String> gone = live.remove(key);
            liveLines -= gone == null ? 0 : gone.size();
        } else {
            live.computeIfAbsent(key, k -> new ArrayList<>()).add(line);
            liveLines++;
        }
    }

    private void appendToJournal(List<String> lines) {
        StringBuilder text = new StringBuilder(lines.size() * 128);
        for (String line : lines) {
            text.append(line).append('\n');
        }
        try {
            if (journal == null) {
                Files.createDirectories(layout.root());
                journal = FileChannel.open(layout.taskJournal(), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.APPEND);
            }
            ByteBuffer buffer = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
            while (buffer.hasRemaining()) {
                journal.write(buffer);
            }
            journal.force(false);
        } catch (IOException e) {
            log.warn("cannot append to the task journal {}: {}", layout.taskJournal(), e.toString());
            closeJournal();
        }
    }

    /** Replaces the journal with the lines of the tasks still in it. */
    private void compact() {
        StringBuilder text = new StringBuilder(liveLines * 128);
        for (List<String> lines : live.values()) {
            for (String line : lines) {
                text.append(line).append('\n');
            }
        }
        closeJournal();
        try {
            Files.createDirectories(layout.root());
            CheckpointFiles.writeAtomically(layout.taskJournal(), text.toString());
            log.debug("compacted the task journal from {} to {} lines", journalLines, liveLines);
            journalLines = liveLines;
        } catch (IOException e) {
            log.warn("cannot compact the task journal {}: {}", layout.taskJournal(), e.toString());
        }
    }

    /** Takes in the journal an earlier run left: its live tasks' lines; a task whose TaskInfo is missing is dropped. */
    private void load() {
        List<String> lines;
        try {
            lines = CheckpointFiles.readLines(layout.taskJournal());
        } catch (IOException e) {
            log.warn("cannot read the task journal {}; starting a new one: {}", layout.taskJournal(), e.toString());
            return;
        }
        for (String line : lines) {
            TaskJournal.parse(line).ifPresent(entry -> remember(entry.key(), line));
        }
        live.entrySet().removeIf(task -> {
            boolean incomplete = !task.getValue().getFirst().startsWith("task ");
            liveLines -= incomplete ? task.getValue().size() : 0;
            return incomplete;
        });
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
