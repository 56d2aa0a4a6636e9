package io.tandem.frameworks.service;

import java.util.Collection;
import java.util.Optional;

/**
 * A rule on where an app's instances may run, checked against the agent of an offer and the agents the
 * app's other live instances run on. {@code field} is {@code hostname} or an agent attribute's name.
 */
public sealed interface PlacementConstraint {

    /** Why {@code candidate} may not host one more instance, or empty when it may. */
    Optional<String> refuses(Site candidate, Collection<Site> occupied);

    String field();

    /** At most one instance per value of the field (e.g. one per host). */
    record Unique(String field) implements PlacementConstraint {
        @Override
        public Optional<String> refuses(Site candidate, Collection<Site> occupied) {
            Optional<String> value = candidate.value(field);
            if (value.isEmpty()) {
                return Optional.of("has no " + field);
            }
            boolean taken = occupied.stream().anyMatch(s -> s.value(field).equals(value));
            return taken ? Optional.of(field + " " + value.get() + " already runs an instance (unique)") : Optional.empty();
        }
    }

    /** Only agents whose field has this value. */
    record Equals(String field, String value) implements PlacementConstraint {
        @Override
        public Optional<String> refuses(Site candidate, Collection<Site> occupied) {
            Optional<String> actual = candidate.value(field);
            if (actual.isPresent() && actual.get().equals(value)) {
                return Optional.empty();
            }
            return Optional.of(field + " is " + actual.orElse("not set") + ", must be " + value);
        }
    }

    /** At most {@code max} instances per value of the field (e.g. per zone). */
    record MaxPer(String field, int max) implements PlacementConstraint {
        @Override
        public Optional<String> refuses(Site candidate, Collection<Site> occupied) {
            Optional<String> value = candidate.value(field);
            if (value.isEmpty()) {
                return Optional.of("has no " + field);
            }
            long there = occupied.stream().filter(s -> s.value(field).equals(value)).count();
            return there >= max
                    ? Optional.of(field + " " + value.get() + " already runs " + there + " (at most " + max + ")")
                    : Optional.empty();
        }
    }
}
