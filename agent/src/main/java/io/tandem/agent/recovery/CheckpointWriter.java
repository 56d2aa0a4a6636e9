package io.tandem.agent.recovery;

import com.google.protobuf.ByteString;
import io.tandem.agent.status.TaskKey;
import io.tandem.agent.status.UpdateJournal;
import io.tandem.api.MesosJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
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
 * runs each task's writes in order and different tasks' writes side by side (so the file system
 * commits their fsyncs together; one fsync after another would cap the agent at a few hundred
 * updates a second), then runs the callbacks, such as "this update is durable: send it", on the loop.
 *
 * <p>Thread-safe: any thread may submit. A write that fails is logged and its callback still runs:
 * the agent keeps working without the checkpoint rather than stop delivering updates.
 */
public final class CheckpointWriter implements UpdateJournal, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CheckpointWriter.class);
    private static final Base64.Encoder BASE64 = Base64.getEncoder();
    private static final Duration CLOSE_PATIENCE = Duration.ofSeconds(30);

    private final CheckpointLayout layout;
    private final Executor loop;
    private final BlockingQueue<Write> queue = new LinkedBlockingQueue<>();
    private final ExecutorService parallel = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<FrameworkID, FrameworkInfo> frameworksWritten = new java.util.concurrent.ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean closed;

    /**
     * One file operation on a task's (or framework's) directory, and what to do on the loop after
     * it: {@code action}, or (when {@code appendTo} is set) appending {@code line} to that log.
     */
    private record Write(Path dir, IoAction action, Path appendTo, String line, Runnable then) {
        Write(Path dir, IoAction action, Runnable then) {
            this(dir, action, null, null, then);
        }
    }

    @FunctionalInterface
    private interface IoAction {
        void run() throws IOException;
    }

    public CheckpointWriter(CheckpointLayout layout, Executor loop) {
        this.layout = layout;
        this.loop = loop;
        this.thread = Thread.ofPlatform().name("checkpoint-writer").daemon().start(this::run);
    }

    public CheckpointLayout layout() {
        return layout;
    }

    /** Checkpoints a task about to launch, and its framework's info when it is new or changed. */
    public void task(FrameworkInfo framework, TaskInfo task) {
        TaskKey key = new TaskKey(framework.getId(), task.getTaskId());
        boolean frameworkChanged = !framework.equals(frameworksWritten.put(framework.getId(), framework));
        submit(layout.taskDir(key), () -> {
            Files.createDirectories(layout.taskDir(key));
            if (frameworkChanged) {
                CheckpointFiles.writeAtomically(layout.frameworkInfo(framework.getId()), MesosJson.print(framework));
            }
            CheckpointFiles.writeAtomically(layout.taskInfo(key), MesosJson.print(task));
        }, null);
    }

    /** Checkpoints who a started task's supervisor process is, and its container (null without isolation). */
    public void process(TaskKey key, ProcessStamp stamp, String container) {
        String text = stamp.format() + "\n" + (container == null ? "" : container + "\n");
        submit(layout.taskDir(key), () -> CheckpointFiles.writeAtomically(layout.process(key), text), null);
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
        submit(dir, () -> {
            Files.createDirectories(dir);
            CheckpointFiles.writeAtomically(layout.executorInfo(frameworkId, info.getExecutorId()), MesosJson.print(info));
            CheckpointFiles.writeAtomically(layout.executorProcess(frameworkId, info.getExecutorId()), process);
        }, null);
    }

    /** Forgets an executor that has ended (its tasks are forgotten one by one, as they are acknowledged). */
    public void forgetExecutor(FrameworkID frameworkId, ExecutorID executorId) {
        Path dir = layout.executorDir(frameworkId, executorId);
        submit(dir, () -> deleteTree(dir), null);
    }

    @Override
    public void append(FrameworkID frameworkId, TaskStatus status, Runnable durable) {
        TaskKey key = new TaskKey(frameworkId, status.getTaskId());
        String line = "update " + BASE64.encodeToString(status.toByteArray());
        submit(new Write(layout.taskDir(key), null, layout.updates(key), line, durable));
    }

    @Override
    public void acknowledged(TaskKey key, ByteString uuid) {
        String line = "ack " + BASE64.encodeToString(uuid.toByteArray());
        submit(new Write(layout.taskDir(key), null, layout.updates(key), line, null));
    }

    @Override
    public void forget(TaskKey key) {
        submit(layout.taskDir(key), () -> deleteTree(layout.taskDir(key)), null);
    }

    /** Writes everything submitted so far, then stops the writer thread. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        CompletableFuture<Void> drained = new CompletableFuture<>();
        queue.add(new Write(layout.frameworks(), () -> drained.complete(null), null));
        try {
            drained.get(CLOSE_PATIENCE.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("the checkpoint writer did not finish: {}", e.toString());
        }
        closed = true;
        thread.interrupt();
        parallel.close();
    }

    private void submit(Path dir, IoAction action, Runnable then) {
        submit(new Write(dir, action, then));
    }

    private void submit(Write write) {
        if (!write.dir().equals(layout.frameworks()) && !isTaskDir(write.dir())) {
            // An id that is no directory name (the agent refuses such tasks, TASK_ERROR): nothing to keep.
            log.debug("not checkpointing {}: not a directory below {}", write.dir(), layout.frameworks());
            if (write.then() != null) {
                loop.execute(write.then());
            }
            return;
        }
        if (closed) {
            log.warn("checkpoint write for {} after the writer closed; not written", write.dir());
            if (write.then() != null) {
                loop.execute(write.then());
            }
            return;
        }
        queue.add(write);
    }

    /** {@code frameworks/<framework>/(tasks|executors)/<id>} exactly: no id held a slash, "." or "..". */
    private boolean isTaskDir(Path dir) {
        Path frameworks = layout.frameworks();
        if (!dir.normalize().equals(dir) || !dir.startsWith(frameworks)
                || dir.getNameCount() != frameworks.getNameCount() + 3) {
            return false;
        }
        String kind = dir.getName(frameworks.getNameCount() + 1).toString();
        return kind.equals("tasks") || kind.equals("executors");
    }

    private void run() {
        List<Write> batch = new ArrayList<>();
        while (!closed) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                return;
            }
            queue.drainTo(batch);
            write(batch);
            batch.clear();
        }
    }

    /** Each directory's writes in order on one virtual thread; the directories side by side. */
    private void write(List<Write> batch) {
        Map<Path, List<Write>> byDir = new LinkedHashMap<>();
        for (Write write : batch) {
            byDir.computeIfAbsent(write.dir(), d -> new ArrayList<>()).add(write);
        }
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (List<Write> writes : byDir.values()) {
            Runnable inOrder = () -> perform(writes);
            done.add(byDir.size() == 1 ? CompletableFuture.runAsync(inOrder, Runnable::run)
                    : CompletableFuture.runAsync(inOrder, parallel));
        }
        CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).join();
        for (Write write : batch) {
            if (write.then() != null) {
                loop.execute(write.then());
            }
        }
    }

    /** One directory's writes in order; lines appended one after another to the same log share one fsync. */
    private static void perform(List<Write> writes) {
        for (int i = 0; i < writes.size(); ) {
            Write write = writes.get(i);
            List<String> lines = new ArrayList<>();
            int next = i;
            while (write.appendTo() != null && next < writes.size() && write.appendTo().equals(writes.get(next).appendTo())) {
                lines.add(writes.get(next++).line());
            }
            try {
                if (lines.isEmpty()) {
                    write.action().run();
                    next = i + 1;
                } else {
                    Files.createDirectories(write.dir());
                    CheckpointFiles.append(write.appendTo(), lines);
                }
            } catch (IOException | RuntimeException e) {
                log.warn("cannot write the checkpoint in {}: {}", write.dir(), e.toString());
                next = Math.max(next, i + 1);
            }
            i = next;
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
