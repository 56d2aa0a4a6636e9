package io.tandem.master;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * At most {@code agents} agents marked unreachable per {@code per}, so that a network blip that
 * silences half the cluster for a moment does not remove half the cluster at once (Mesos's
 * {@code --agent_removal_rate_limit}, written {@code 1/10mins} there and {@code 1/10m} here).
 * Agents over the limit wait their turn, oldest silence first; one that reports in the meantime is
 * never removed.
 */
public record RemovalRateLimit(int agents, Duration per) {
    private static final Pattern FORM = Pattern.compile("(\\d+)/(\\d+(?:\\.\\d+)?)(ms|s|m|mins?|h|hrs?)");

    public RemovalRateLimit {
        if (agents < 1) {
            throw new IllegalArgumentException("agent removal rate limit must allow at least 1 agent, got " + agents);
        }
        if (per == null || per.isZero() || per.isNegative()) {
            throw new IllegalArgumentException("agent removal rate limit needs a positive period, got " + per);
        }
    }

    /** The time between two removals: {@code per / agents}. */
    public Duration interval() {
        return per.dividedBy(agents);
    }

    /**
     * Parses {@code 1/10m}, {@code 5/1s}, {@code 1/10mins}.
     *
     * @throws IllegalArgumentException naming the text when it is not {@code <agents>/<duration>}
     */
    public static RemovalRateLimit parse(String text) {
        Matcher m = FORM.matcher(text == null ? "" : text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("agent removal rate limit '" + text
                    + "' must look like <agents>/<duration>, such as 1/10m or 5/1s");
        }
        double amount = Double.parseDouble(m.group(2));
        long millis = switch (m.group(3)) {
            case "ms" -> (long) amount;
            case "s" -> (long) (amount * 1_000);
            case "h", "hr", "hrs" -> (long) (amount * 3_600_000);
            default -> (long) (amount * 60_000);
        };
        int agents;
        try {
            agents = Integer.parseInt(m.group(1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("agent removal rate limit '" + text + "': too many agents", e);
        }
        return new RemovalRateLimit(agents, Duration.ofMillis(millis));
    }

    @Override
    public String toString() {
        return agents + "/" + HumanDuration.format(per);
    }
}
