package io.tandem.frameworks.common;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * All the constraints of one group of tasks (a batch stage, a service, a gang); a task may go to an
 * agent when every one of them allows it.
 *
 * <pre>{@code
 * Constraints rules = Constraints.parse(List.of("rack:IS:r1", "hostname:UNIQUE"));
 * Optional<String> why = rules.violation(AgentView.of(offer), agentsOfRunningTasks);
 * }</pre>
 */
public record Constraints(List<Constraint> list) {
    public static final Constraints NONE = new Constraints(List.of());

    public Constraints {
        list = List.copyOf(list);
    }

    /** Parses each entry with {@link Constraint#parse}; null means none. */
    public static Constraints parse(List<String> texts) {
        return texts == null ? NONE : new Constraints(texts.stream().map(Constraint::parse).toList());
    }

    /** The first constraint {@code candidate} breaks, as a sentence, or empty when it meets them all. */
    public Optional<String> violation(AgentView candidate, Collection<AgentView> placed) {
        for (Constraint c : list) {
            Optional<String> why = c.violation(candidate, placed);
            if (why.isPresent()) {
                return why;
            }
        }
        return Optional.empty();
    }

    /** Whether {@code agent} could ever take a task of the group (see {@link Constraint#admits}). */
    public boolean admit(AgentView agent) {
        return list.stream().allMatch(c -> c.admits(agent));
    }

    @Override
    public String toString() {
        return list.toString();
    }
}
