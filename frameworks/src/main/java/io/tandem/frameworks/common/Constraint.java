package io.tandem.frameworks.common;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/**
 * A placement rule on agent attributes, in Marathon's spelling, so that one line of a job or service
 * file says it: {@code "rack:IS:r1"} (only agents whose {@code rack} is {@code r1}),
 * {@code "hostname:UNIQUE"} (at most one task of the group per distinct value, here per host),
 * {@code "zone:MAX_PER:2"} (at most two per distinct value). {@code hostname} is every agent's
 * hostname; any other name is an agent attribute ({@code tandem agent --attributes rack:r1}).
 *
 * <p>A constraint judges one candidate agent against the agents where the group's tasks already run
 * ({@code placed}, one entry per task: two tasks on one agent are two entries).
 */
public sealed interface Constraint {

    /** Why a task of the group may not go to {@code candidate}, or empty when it may. */
    Optional<String> violation(AgentView candidate, Collection<AgentView> placed);

    /**
     * Whether {@code agent} could ever take a task of the group, whatever runs where: false only when
     * the agent itself is wrong for it (an {@link Is} on another value). Used to tell a user at once
     * that no agent of the cluster can ever run a task, instead of waiting forever.
     */
    default boolean admits(AgentView agent) {
        return true;
    }

    /**
     * How many tasks of the group these agents could take at once under this rule alone (a spreading
     * rule allows one, or K, per distinct value); used to refuse counts that can never be placed.
     */
    default long room(Collection<AgentView> agents) {
        return switch (this) {
            case Unique u -> distinct(u.attribute(), agents);
            case MaxPer m -> distinct(m.attribute(), agents) * m.max();
            case Is is -> Long.MAX_VALUE;
        };
    }

    private static long distinct(String attribute, Collection<AgentView> agents) {
        return agents.stream().map(a -> a.value(attribute)).filter(Optional::isPresent).distinct().count();
    }

    /** {@code ATTRIBUTE:IS:VALUE}: the agent's attribute must equal the value. */
    record Is(String attribute, String value) implements Constraint {
        @Override
        public Optional<String> violation(AgentView candidate, Collection<AgentView> placed) {
            return admits(candidate) ? Optional.empty()
                    : Optional.of(this + " not met: " + candidate.hostname() + " has "
                            + candidate.value(attribute).map(v -> attribute + "=" + v).orElse("no " + attribute));
        }

        @Override
        public boolean admits(AgentView agent) {
            return agent.value(attribute).map(value::equals).orElse(false);
        }

        @Override
        public String toString() {
            return attribute + ":IS:" + value;
        }
    }

    /** {@code ATTRIBUTE:UNIQUE}: at most one task of the group per value of the attribute. */
    record Unique(String attribute) implements Constraint {
        @Override
        public Optional<String> violation(AgentView candidate, Collection<AgentView> placed) {
            return new MaxPer(attribute, 1).violation(candidate, placed).map(why -> this + " not met: " + why);
        }

        @Override
        public boolean admits(AgentView agent) {
            return agent.value(attribute).isPresent();
        }

        @Override
        public String toString() {
            return attribute + ":UNIQUE";
        }
    }

    /** {@code ATTRIBUTE:MAX_PER:K}: at most K tasks of the group per value of the attribute. */
    record MaxPer(String attribute, int max) implements Constraint {
        public MaxPer {
            if (max < 1) {
                throw new IllegalArgumentException("MAX_PER needs a count of at least 1, got " + max);
            }
        }

        @Override
        public Optional<String> violation(AgentView candidate, Collection<AgentView> placed) {
            Optional<String> value = candidate.value(attribute);
            if (value.isEmpty()) {
                return Optional.of(candidate.hostname() + " has no attribute " + attribute);
            }
            long already = placed.stream().filter(p -> p.value(attribute).equals(value)).count();
            return already < max ? Optional.empty()
                    : Optional.of(already + " task(s) already run where " + attribute + "=" + value.get()
                            + " (at most " + max + ")");
        }

        @Override
        public boolean admits(AgentView agent) {
            return agent.value(attribute).isPresent();
        }

        @Override
        public String toString() {
            return attribute + ":MAX_PER:" + max;
        }
    }

    /**
     * Reads {@code "rack:IS:r1"}, {@code "hostname:UNIQUE"}, {@code "zone:MAX_PER:2"} (operators in any
     * case; {@code CLUSTER} is accepted for {@code IS}, as Marathon names it).
     *
     * @throws IllegalArgumentException naming what is wrong with {@code text}
     */
    static Constraint parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("a constraint must not be empty; write e.g. hostname:UNIQUE");
        }
        String[] parts = text.strip().split(":", 3);
        String attribute = parts[0].strip();
        if (attribute.isEmpty() || parts.length < 2) {
            throw new IllegalArgumentException("constraint '" + text + "' is not ATTRIBUTE:OPERATOR[:VALUE]"
                    + " (e.g. rack:IS:r1, hostname:UNIQUE, zone:MAX_PER:2)");
        }
        String operator = parts[1].strip().toUpperCase(Locale.ROOT);
        String argument = parts.length == 3 ? parts[2].strip() : null;
        return switch (operator) {
            case "IS", "CLUSTER" -> new Is(attribute, required(text, operator, argument));
            case "UNIQUE" -> {
                if (argument != null) {
                    throw new IllegalArgumentException("constraint '" + text + "': UNIQUE takes no value");
                }
                yield new Unique(attribute);
            }
            case "MAX_PER" -> new MaxPer(attribute, count(text, required(text, operator, argument)));
            default -> throw new IllegalArgumentException("constraint '" + text + "' has unknown operator '"
                    + parts[1].strip() + "'; known: IS, UNIQUE, MAX_PER");
        };
    }

    private static String required(String text, String operator, String argument) {
        if (argument == null || argument.isEmpty()) {
            throw new IllegalArgumentException("constraint '" + text + "': " + operator + " needs a value");
        }
        return argument;
    }

    private static int count(String text, String argument) {
        try {
            int max = Integer.parseInt(argument);
            if (max >= 1) {
                return max;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("constraint '" + text + "': MAX_PER needs a whole number >= 1, got '"
                + argument + "'");
    }
}
