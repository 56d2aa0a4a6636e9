package io.tandem.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class IdsTest {

    @Test
    void idsRefuseBlankValues() {
        assertThatThrownBy(() -> new FrameworkId(" ")).hasMessage("FrameworkId must not be blank");
        assertThatThrownBy(() -> new AgentId("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TaskId(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void idsPrintAsTheirBareValueAndCompareByIt() {
        assertThat(new OfferId("o-1")).hasToString("o-1");
        assertThat(new ExecutorId("e")).isEqualTo(ExecutorId.of("e"));
        assertThat(AgentId.of("a")).isLessThan(AgentId.of("b"));
    }
}
