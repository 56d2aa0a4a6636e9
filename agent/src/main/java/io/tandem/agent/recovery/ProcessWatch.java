package io.tandem.agent.recovery;

import io.tandem.agent.process.ExitStatusFile;
import io.tandem.agent.process.ExitStatus;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Waits for a process this JVM did not start (a task re-attached after an agent restart) and reads
 * the exit status its supervisor shell recorded. The JDK can wait only for its own children, and a
 * non-child that has exited stays visible as a zombie until its new parent reaps it, so this looks
 * at {@code /proc} (pid, start time, not a zombie) every {@code interval}, on a virtual thread.
 */
public final class ProcessWatch {
    private ProcessWatch() {}

    /** Completes once {@code process} no longer runs: with the recorded status, or empty when none was. */
    public static CompletableFuture<Optional<ExitStatus>> until(ProcessStamp process, Path exitFile, Duration interval) {
        CompletableFuture<Optional<ExitStatus>> exit = new CompletableFuture<>();
        Thread.ofVirtual().name("watch-" + process.pid()).start(() -> {
            try {
                while (process.stillRuns()) {
                    Thread.sleep(interval);
                }
                exit.complete(ExitStatusFile.read(exitFile));
            } catch (InterruptedException e) {
                exit.completeExceptionally(e);
            } catch (IOException e) {
                exit.complete(Optional.empty());
            }
        });
        return exit;
    }
}
