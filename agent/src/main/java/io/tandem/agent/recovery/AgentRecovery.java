package io.tandem.agent.recovery;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The start of a restarted agent: reads the checkpoint, decides each executor's and task's fate
 * ({@link ExecutorDecision}, {@link RecoveryDecision}) and kills what will not be taken back: under
 * {@code --recover=cleanup} everything still running, and executors of frameworks that do not checkpoint.
 * The agent then hands the result to its loop before it subscribes, so the master hears of every
 * recovered task in the SUBSCRIBE call and their unacknowledged updates follow.
 *
 * <p>Blocking I/O and process work: run once, at start, off the agent loop.
 */
public final class AgentRecovery {
    private static final Logger log = LoggerFactory.getLogger(AgentRecovery.class);
    private static final Duration KILL_PATIENCE = Duration.ofSeconds(10);

    private AgentRecovery() {}

    /**
     * Every checkpointed executor and task with what to do about it; killed already where the decision
     * says so. The executors are decided first: an executor's task follows its executor.
     */
    public static Recovery recover(CheckpointLayout layout, RecoveryMode mode) throws IOException {
        CheckpointReader reader = new CheckpointReader(layout);
        List<RecoveredExecutor> executors = new ArrayList<>();
        Map<String, ExecutorDecision> byExecutor = new HashMap<>();
        for (ExecutorCheckpoint executor : reader.readExecutors()) {
            ExecutorDecision decision = ExecutorDecision.decide(executor, executor.process().stillRuns(), mode);
            if (decision instanceof ExecutorDecision.Kill kill) {
                log.info("killing {} of an earlier run: {}", executor, kill.why());
                killGroup(kill.process());
            }
            log.debug("recovering {}: {}", executor, decision);
            executors.add(new RecoveredExecutor(executor, decision));
            byExecutor.put(executorKey(executor.framework().getId().getValue(), executor.info().getExecutorId().getValue()),
                    decision);
        }
        List<RecoveredTask> recovered = new ArrayList<>();
        for (TaskCheckpoint task : reader.read()) {
            RecoveryDecision decision = task.isCommandTask() ? decideCommandTask(task, mode)
                    : RecoveryDecision.decide(task, Optional.ofNullable(byExecutor.get(executorKey(
                            task.framework().getId().getValue(), task.task().getExecutor().getExecutorId().getValue()))));
            log.debug("recovering task {} ({}): {}", task.key(), task.state(), decision);
            recovered.add(new RecoveredTask(task, decision));
        }
        if (!recovered.isEmpty() || !executors.isEmpty()) {
            log.info("recovered {} task(s) from {}: {} re-attached, {} ended while the agent was away; {} executor(s),"
                    + " {} awaited", recovered.size(), layout.root(), count(recovered, RecoveryDecision.Reattach.class),
                    count(recovered, RecoveryDecision.Report.class), executors.size(),
                    executors.stream().filter(e -> e.decision() instanceof ExecutorDecision.Reattach).count());
        }
        return new Recovery(recovered, executors);
    }

    private static RecoveryDecision decideCommandTask(TaskCheckpoint task, RecoveryMode mode) {
        boolean alive = task.process().map(ProcessStamp::stillRuns).orElse(false);
        RecoveryDecision decision = RecoveryDecision.decide(task, alive, mode);
        if (decision instanceof RecoveryDecision.Kill kill) {
            killGroup(kill.process());
        }
        return decision;
    }

    private static String executorKey(String frameworkId, String executorId) {
        return frameworkId + "/" + executorId;
    }

    /** The containers of the tasks and executors re-attached to: a restarted agent must leave them alone. */
    public static Set<String> keptContainers(Recovery recovery) {
        Set<String> kept = new HashSet<>();
        recovery.tasks().stream()
                .filter(r -> r.decision() instanceof RecoveryDecision.Reattach)
                .flatMap(r -> r.checkpoint().container().stream())
                .forEach(kept::add);
        recovery.executors().stream()
                .filter(r -> r.decision() instanceof ExecutorDecision.Reattach)
                .flatMap(r -> r.checkpoint().container().stream())
                .forEach(kept::add);
        return kept;
    }

    /** Forgets a checkpoint that belongs to no agent id (the agent will join as a new agent). */
    public static void discard(CheckpointLayout layout) throws IOException {
        CheckpointWriter.deleteTree(layout.root());
    }

    private static long count(List<RecoveredTask> recovered, Class<?> kind) {
        return recovered.stream().filter(r -> kind.isInstance(r.decision())).count();
    }

    /** SIGKILL to the process group, then wait (bounded) until its supervisor shell is gone. */
    private static void killGroup(ProcessStamp process) {
        log.info("killing process group {} of an earlier run", process.pid());
        try {
            new ProcessBuilder("kill", "-s", "KILL", "--", "-" + process.pid())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
            Instant deadline = Instant.now().plus(KILL_PATIENCE);
            while (process.stillRuns() && Instant.now().isBefore(deadline)) {
                Thread.sleep(20);
            }
        } catch (IOException e) {
            log.warn("cannot run kill(1) for process group {}: {}", process.pid(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
