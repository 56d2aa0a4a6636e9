package io.tandem.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StateTableTest {

    @Test
    void padsEachColumnToItsWidestCell() {
        String text = new StateTable("AGENTS", "ID", "HOST").row("a-1", "127.0.0.1:5051").row("agent-22", "h:1").render();

        assertThat(text).isEqualTo("""
                AGENTS
                ID        HOST
                a-1       127.0.0.1:5051
                agent-22  h:1
                """);
    }

    @Test
    void saysNoneWhenEmpty() {
        assertThat(new StateTable("TASKS", "ID").render()).isEqualTo("TASKS\n(none)\n");
    }

    @Test
    void refusesARowOfTheWrongWidth() {
        assertThatThrownBy(() -> new StateTable("T", "A", "B").row("x")).hasMessage("row of 1 cells in a table of 2");
    }
}
