package io.tandem.agent.recovery;

import java.util.List;

/** Everything a restarted agent takes over: its tasks and its executors, each with its fate decided. */
public record Recovery(List<RecoveredTask> tasks, List<RecoveredExecutor> executors) {
    public static final Recovery NONE = new Recovery(List.of(), List.of());

    public Recovery {
        tasks = List.copyOf(tasks);
        executors = List.copyOf(executors);
    }
}
