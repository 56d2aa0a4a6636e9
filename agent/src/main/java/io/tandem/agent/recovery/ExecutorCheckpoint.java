package io.tandem.agent.recovery;

import io.tandem.agent.process.ExitStatus;
import java.util.Optional;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.FrameworkInfo;

/**
 * One custom executor as an earlier run of the agent left it on disk. Its tasks are checkpointed
 * as tasks ({@link TaskCheckpoint}, whose {@code TaskInfo.executor} names it).
 *
 * @param containerId the id the executor was started with (its {@code MESOS_CONTAINER_ID})
 * @param process the executor's supervisor shell
 * @param container the executor's container name, when the agent isolated it
 * @param exit what the supervisor shell recorded when the executor ended
 */
public record ExecutorCheckpoint(FrameworkInfo framework, ExecutorInfo info, String containerId, ProcessStamp process,
                                 Optional<String> container, Optional<ExitStatus> exit) {
    /** Whether its framework asked for checkpointing: only then does its executor try to re-subscribe. */
    public boolean checkpointing() {
        return framework.getCheckpoint();
    }

    @Override
    public String toString() {
        return "executor " + framework.getId().getValue() + "/" + info.getExecutorId().getValue();
    }
}
