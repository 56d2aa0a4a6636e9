package io.tandem.agent.isolation;

import org.apache.mesos.v1.Protos.TaskStatus.Reason;

/** A limit a container hit that ended it, told the way Mesos tells it: a reason and a sentence. */
public record Limitation(Reason reason, String message) {}
