package io.tandem.model;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The life of a task, with the Mesos v1 names (so {@code TaskState.valueOf(proto.name())} works), and the
 * table of legal transitions that the master and agent enforce.
 *
 * <pre>
 * STAGING -> STARTING -> RUNNING -> KILLING -> (terminal)
 *    \__________\___________\__________\_____> (terminal) | UNREACHABLE -> RUNNING | (terminal)
 * </pre>
 *
 * A non-terminal state may repeat (a health check re-sends TASK_RUNNING); a terminal state never changes.
 * TASK_UNKNOWN is what reconciliation answers for a task the master does not know; the task may then turn
 * up in any state when its agent re-registers.
 */
public enum TaskState {
    TASK_STAGING,
    TASK_STARTING,
    TASK_RUNNING,
    TASK_KILLING,
    TASK_FINISHED,
    TASK_FAILED,
    TASK_KILLED,
    TASK_ERROR,
    TASK_LOST,
    TASK_DROPPED,
    TASK_UNREACHABLE,
    TASK_GONE,
    TASK_GONE_BY_OPERATOR,
    TASK_UNKNOWN;

    private static final Set<TaskState> TERMINAL = EnumSet.of(TASK_FINISHED, TASK_FAILED, TASK_KILLED,
            TASK_ERROR, TASK_LOST, TASK_DROPPED, TASK_GONE, TASK_GONE_BY_OPERATOR);

    /** Terminal states a launched task may end in (ERROR and DROPPED happen only before it starts). */
    private static final Set<TaskState> ENDINGS = EnumSet.of(TASK_FINISHED, TASK_FAILED, TASK_KILLED,
            TASK_LOST, TASK_GONE, TASK_GONE_BY_OPERATOR);

    private static final Map<TaskState, Set<TaskState>> NEXT = Map.ofEntries(
            Map.entry(TASK_STAGING, with(ENDINGS, TASK_STAGING, TASK_STARTING, TASK_RUNNING, TASK_KILLING,
                    TASK_UNREACHABLE, TASK_ERROR, TASK_DROPPED)),
            Map.entry(TASK_STARTING, with(ENDINGS, TASK_STARTING, TASK_RUNNING, TASK_KILLING, TASK_UNREACHABLE)),
            Map.entry(TASK_RUNNING, with(ENDINGS, TASK_RUNNING, TASK_KILLING, TASK_UNREACHABLE)),
            Map.entry(TASK_KILLING, with(ENDINGS, TASK_KILLING, TASK_UNREACHABLE)),
            // An unreachable agent that comes back reports its tasks as they are.
            Map.entry(TASK_UNREACHABLE, with(ENDINGS, TASK_UNREACHABLE, TASK_STARTING, TASK_RUNNING,
                    TASK_KILLING)),
            Map.entry(TASK_UNKNOWN, EnumSet.complementOf(EnumSet.of(TASK_UNKNOWN))));

    private static Set<TaskState> with(Set<TaskState> base, TaskState... more) {
        EnumSet<TaskState> out = EnumSet.copyOf(base);
        out.addAll(Set.of(more));
        return out;
    }

    /** True for states a task never leaves: FINISHED, FAILED, KILLED, ERROR, LOST, DROPPED, GONE(_BY_OPERATOR). */
    public boolean isTerminal() {
        return TERMINAL.contains(this);
    }

    public boolean canTransitionTo(TaskState next) {
        return NEXT.getOrDefault(this, Set.of()).contains(next);
    }

    /** The states this one may move to; empty for terminal states. */
    public Set<TaskState> successors() {
        Set<TaskState> next = NEXT.get(this);
        return next == null ? Set.of() : Set.copyOf(next);
    }

    public static Set<TaskState> terminalStates() {
        return Set.copyOf(TERMINAL);
    }
}
