package io.tandem.model;

import static io.tandem.model.TaskState.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class TaskStateTest {

    private static void assertTransition(TaskState from, TaskState to) {
        assertThat(from.canTransitionTo(to)).as("%s -> %s should be legal", from, to).isTrue();
    }

    private static void assertNoTransition(TaskState from, TaskState to) {
        assertThat(from.canTransitionTo(to)).as("%s -> %s should be illegal", from, to).isFalse();
    }

    @Test
    void aTaskMovesForwardThroughItsLife() {
        assertTransition(TASK_STAGING, TASK_STARTING);
        assertTransition(TASK_STARTING, TASK_RUNNING);
        assertTransition(TASK_STAGING, TASK_RUNNING);
        assertTransition(TASK_RUNNING, TASK_KILLING);
        assertTransition(TASK_KILLING, TASK_KILLED);
        assertTransition(TASK_RUNNING, TASK_FINISHED);
        assertTransition(TASK_RUNNING, TASK_FAILED);
        assertTransition(TASK_RUNNING, TASK_LOST);
    }

    @Test
    void aTaskNeverMovesBackwards() {
        assertNoTransition(TASK_RUNNING, TASK_STAGING);
        assertNoTransition(TASK_RUNNING, TASK_STARTING);
        assertNoTransition(TASK_KILLING, TASK_RUNNING);
    }

    @Test
    void errorAndDroppedHappenOnlyBeforeATaskStarts() {
        assertTransition(TASK_STAGING, TASK_ERROR);
        assertTransition(TASK_STAGING, TASK_DROPPED);
        assertNoTransition(TASK_RUNNING, TASK_ERROR);
        assertNoTransition(TASK_RUNNING, TASK_DROPPED);
    }

    @Test
    void terminalStatesNeverChange() {
        for (TaskState terminal : TaskState.terminalStates()) {
            assertThat(terminal.isTerminal()).isTrue();
            assertThat(terminal.successors()).as("%s successors", terminal).isEmpty();
            for (TaskState any : TaskState.values()) {
                assertNoTransition(terminal, any);
            }
        }
    }

    @Test
    void terminalStatesAreTheMesosOnes() {
        assertThat(TaskState.terminalStates()).containsExactlyInAnyOrder(TASK_FINISHED, TASK_FAILED, TASK_KILLED,
                TASK_ERROR, TASK_LOST, TASK_DROPPED, TASK_GONE, TASK_GONE_BY_OPERATOR);
        assertThat(TASK_UNREACHABLE.isTerminal()).isFalse();
        assertThat(TASK_UNKNOWN.isTerminal()).isFalse();
    }

    @Test
    void anUnreachableTaskMayComeBackOrBeGone() {
        assertTransition(TASK_RUNNING, TASK_UNREACHABLE);
        assertTransition(TASK_UNREACHABLE, TASK_RUNNING);
        assertTransition(TASK_UNREACHABLE, TASK_GONE);
        assertTransition(TASK_UNREACHABLE, TASK_GONE_BY_OPERATOR);
    }

    @Test
    void runningMayRepeatForHealthCheckUpdates() {
        assertTransition(TASK_RUNNING, TASK_RUNNING);
        assertNoTransition(TASK_FINISHED, TASK_FINISHED);
    }

    @Test
    void anUnknownTaskMayTurnUpInAnyState() {
        assertThat(TASK_UNKNOWN.successors()).isEqualTo(EnumSet.complementOf(EnumSet.of(TASK_UNKNOWN)));
        assertNoTransition(TASK_RUNNING, TASK_UNKNOWN);
    }
}
