package io.tandem.frameworks.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConstraintTest {
    private final AgentView a1 = new AgentView("a1", "host-1", Map.of("rack", "r1"));
    private final AgentView a2 = new AgentView("a2", "host-2", Map.of("rack", "r1"));
    private final AgentView b1 = new AgentView("b1", "host-3", Map.of("rack", "r2"));

    @Test
    void isAdmitsOnlyAgentsWithTheValue() {
        Constraint rack = Constraint.parse("rack:IS:r1");

        assertThat(rack.violation(a1, List.of())).isEmpty();
        assertThat(rack.violation(b1, List.of())).hasValueSatisfying(why -> assertThat(why)
                .contains("rack:IS:r1").contains("rack=r2"));
        assertThat(rack.admits(b1)).isFalse();
    }

    @Test
    void uniqueHostnameAllowsOneTaskPerHost() {
        Constraint unique = Constraint.parse("hostname:unique");

        assertThat(unique.violation(a2, List.of(a1))).isEmpty();
        assertThat(unique.violation(a1, List.of(a1))).isPresent();
    }

    @Test
    void maxPerCountsTasksPerValue() {
        Constraint maxPer = Constraint.parse("rack:MAX_PER:2");

        assertThat(maxPer.violation(a2, List.of(a1))).isEmpty();
        assertThat(maxPer.violation(a2, List.of(a1, a1))).hasValueSatisfying(why -> assertThat(why)
                .contains("rack=r1").contains("at most 2"));
        assertThat(maxPer.violation(b1, List.of(a1, a2))).isEmpty();
    }

    @Test
    void anAgentWithoutTheAttributeBreaksEveryRuleOnIt() {
        AgentView bare = new AgentView("c", "host-4", Map.of());

        assertThat(Constraints.parse(List.of("zone:MAX_PER:1")).violation(bare, List.of())).isPresent();
        assertThat(Constraints.parse(List.of("zone:IS:a")).admit(bare)).isFalse();
    }

    @Test
    void malformedConstraintsNameWhatIsWrong() {
        assertThatThrownBy(() -> Constraint.parse("rack")).hasMessageContaining("ATTRIBUTE:OPERATOR");
        assertThatThrownBy(() -> Constraint.parse("rack:NEAR:r1")).hasMessageContaining("unknown operator 'NEAR'");
        assertThatThrownBy(() -> Constraint.parse("rack:IS")).hasMessageContaining("IS needs a value");
        assertThatThrownBy(() -> Constraint.parse("rack:MAX_PER:0")).hasMessageContaining("whole number >= 1");
        assertThatThrownBy(() -> Constraint.parse("hostname:UNIQUE:x")).hasMessageContaining("takes no value");
    }

    @Test
    void durationsReadAsPeopleWriteThem() {
        assertThat(DurationText.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(DurationText.parse("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(DurationText.parse("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(DurationText.format(Duration.ofSeconds(90))).isEqualTo("90s");
        assertThatThrownBy(() -> DurationText.parse("5 minutes")).hasMessageContaining("'5 minutes' is not a duration");
    }

    @Test
    void durationsTooLongToAddToAnInstantOrFinerThanAMillisecondAreRefused() {
        assertThatThrownBy(() -> DurationText.parse("99999999999999999999999h")).hasMessage("'99999999999999999999999h' is too long; at most 87600h");
        assertThatThrownBy(() -> DurationText.parse("3000000000000000h")).hasMessageContaining("is too long");
        assertThatThrownBy(() -> DurationText.parse("0.5ms")).hasMessage("'0.5ms' is finer than a millisecond");
        assertThatThrownBy(() -> DurationText.parsePositive("0s")).hasMessage("'0s' must be more than zero");
        assertThat(DurationText.parse("87600h")).isEqualTo(DurationText.MAX);
    }

    @Test
    void roomCountsHowManyTasksASpreadingRuleLetsTheAgentsTake() {
        List<AgentView> agents = List.of(a1, a2, b1, new AgentView("c", "host-4", Map.of()));

        assertThat(Constraint.parse("rack:UNIQUE").room(agents)).isEqualTo(2);
        assertThat(Constraint.parse("rack:MAX_PER:3").room(agents)).isEqualTo(6);
        assertThat(Constraint.parse("hostname:UNIQUE").room(agents)).isEqualTo(4);
        assertThat(Constraint.parse("rack:IS:r1").room(agents)).isEqualTo(Long.MAX_VALUE);
    }
}
