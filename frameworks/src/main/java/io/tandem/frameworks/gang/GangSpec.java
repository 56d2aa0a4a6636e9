package io.tandem.frameworks.gang;

import io.tandem.sdk.ResourceNeeds;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * A gang: {@code size} members running {@code command} (through {@code sh -c}), all launched together
 * or none. Each member gets {@code needs} plus one port.
 *
 * @param holdFor how long offers are held while they are not enough for the whole gang, before they
 *                are given back
 * @param retryAfter how long the given-back agents are not offered again (the decline's filter), so
 *                   other frameworks get them meanwhile
 * @param giveUpAfter a gang that has not launched within this time fails, saying what it last lacked
 * @param retries how many times the whole gang is launched again after a member failed before all ran
 */
public record GangSpec(String name, int size, ResourceNeeds needs, String command, Map<String, String> env,
                       Duration holdFor, Duration retryAfter, Duration giveUpAfter, int retries) {

    public GangSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(command, "command");
        env = Map.copyOf(env);
        if (size < 1) {
            throw new IllegalArgumentException("--size must be at least 1, got " + size);
        }
        if (needs.cpus() <= 0 || needs.memMb() <= 0) {
            throw new IllegalArgumentException("--cpus and --mem must be positive, got " + needs.cpus() + " and " + needs.memMb());
        }
        if (!holdFor.isPositive() || retryAfter.isNegative() || !giveUpAfter.isPositive() || retries < 0) {
            throw new IllegalArgumentException("--hold-for and --give-up-after must be positive, --retry-after"
                    + " and --retries not negative");
        }
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9_-]*")) {
            throw new IllegalArgumentException("--name must be letters, digits, '-' and '_', got '" + name + "'");
        }
    }

    /** A member's needs: the gang's, plus the one port it listens on. */
    ResourceNeeds memberNeeds() {
        return needs.withPorts(Math.max(1, needs.ports()));
    }
}
