package io.tandem.agent.recovery;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The start of a restarted agent: reads the checkpoint, decides each task's fate
 * ({@link RecoveryDecision}) and, under {@code --recover=cleanup}, kills the tasks still running.
 * The agent then hands the result to its loop before it subscribes, so the master hears of every
 * recovered task in the SUBSCRIBE call and their unacknowledged updates follow.
 *
 * <p>Blocking I/O and process work: run once, at start, off the agent loop.
 */
public final class AgentRecovery {
    private static final Logger log = LoggerFactory.getLogger(AgentRecovery.class);
    private static final Duration KILL_PATIENCE = Duration.ofSeconds(10);

    private AgentRecovery() {}

    /** Every checkpointed task with what to do about it; killed already where the decision says so. */
    public static List<RecoveredTask> recover(CheckpointLayout layout, RecoveryMode mode) throws IOException {
        List<RecoveredTask> recovered = new ArrayList<>();
        for (TaskCheckpoint task : new CheckpointReader(layout).read()) {
            boolean alive = task.process().map(ProcessStamp::stillRuns).orElse(false);
            RecoveryDecision decision = RecoveryDecision.decide(task, alive, mode);
            if (decision instanceof RecoveryDecision.Kill kill) {
                killGroup(kill.process());
            }
            log.debug("recovering task {} ({}): {}", task.key(), task.state(), decision);
            recovered.add(new RecoveredTask(task, decision));
        }
        if (!recovered.isEmpty()) {
            log.info("recovered {} task(s) from {}: {} re-attached, {} ended while the agent was away", recovered.size(),
                    layout.root(), count(recovered, RecoveryDecision.Reattach.class),
                    count(recovered, RecoveryDecision.Report.class));
        }
        return recovered;
    }

    /** The containers of the tasks re-attached to: a restarted agent must leave them alone. */
    public static Set<String> keptContainers(List<RecoveredTask> recovered) {
        return recovered.stream()
                .filter(r -> r.decision() instanceof RecoveryDecision.Reattach)
                .flatMap(r -> r.checkpoint().container().stream())
                .collect(Collectors.toSet());
    }

    /** Forgets a checkpoint that belongs to no agent id (the agent will join as a new agent). */
    public static void discard(CheckpointLayout layout) throws IOException {
        CheckpointWriter.deleteTree(layout.root());
    }

    private static long count(List<RecoveredTask> recovered, Class<?> kind) {
        return recovered.stream().filter(r -> kind.isInstance(r.decision())).count();
    }

    /** SIGKILL to the task's process group, then wait (bounded) until its supervisor shell is gone. */
    private static void killGroup(ProcessStamp process) {
        log.info("killing process group {} of an earlier run (--recover=cleanup)", process.pid());
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
