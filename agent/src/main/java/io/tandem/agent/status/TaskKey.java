package io.tandem.agent.status;

import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.TaskID;

/** A task on this agent: task ids are unique within a framework, not across frameworks. */
public record TaskKey(FrameworkID frameworkId, TaskID taskId) {
    @Override
    public String toString() {
        return frameworkId.getValue() + "/" + taskId.getValue();
    }
}
