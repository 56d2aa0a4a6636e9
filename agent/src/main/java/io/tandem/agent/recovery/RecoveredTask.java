package io.tandem.agent.recovery;

/** A checkpointed task and what the restarted agent does with it. */
public record RecoveredTask(TaskCheckpoint checkpoint, RecoveryDecision decision) {}
