package io.tandem.agent.recovery;

/** A checkpointed executor and what the restarted agent does with it. */
public record RecoveredExecutor(ExecutorCheckpoint checkpoint, ExecutorDecision decision) {}
