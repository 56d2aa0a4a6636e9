package io.tandem.frameworks.common;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as people write them in files and flags: {@code 500ms}, {@code 5s}, {@code 1.5s}, {@code 2m},
 * {@code 1h}. The one parser of the frameworks' files and flags; at most {@link #MAX} (ten years), so
 * that adding one to the current time can never overflow.
 */
public final class DurationText {
    public static final Duration MAX = Duration.ofDays(3650);
    private static final Pattern FORMAT = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)");

    private DurationText() {}

    /** @throws IllegalArgumentException naming the text and the expected form, or the bound it passes */
    public static Duration parse(String text) {
        Matcher m = text == null ? null : FORMAT.matcher(text.strip());
        if (m == null || !m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration with a unit; write e.g. 500ms, 5s, 1.5s, 2m, 1h");
        }
        BigDecimal millis = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(switch (m.group(2)) {
            case "ms" -> 1L;
            case "s" -> 1_000L;
            case "m" -> 60_000L;
            default -> 3_600_000L;
        }));
        if (millis.compareTo(BigDecimal.valueOf(MAX.toMillis())) > 0) {
            throw new IllegalArgumentException("'" + text.strip() + "' is too long; at most " + format(MAX));
        }
        if (millis.stripTrailingZeros().scale() > 0) {
            throw new IllegalArgumentException("'" + text.strip() + "' is finer than a millisecond");
        }
        return Duration.ofMillis(millis.longValueExact());
    }

    /** {@link #parse}, and more than zero. */
    public static Duration parsePositive(String text) {
        Duration d = parse(text);
        if (!d.isPositive()) {
            throw new IllegalArgumentException("'" + text.strip() + "' must be more than zero");
        }
        return d;
    }

    /** The shortest of those forms for {@code d}: {@code 500ms}, {@code 5s}, {@code 2m}. */
    public static String format(Duration d) {
        long millis = d.toMillis();
        if (millis % 1000 != 0) {
            return millis + "ms";
        }
        long seconds = millis / 1000;
        if (seconds % 3600 == 0 && seconds > 0) {
            return seconds / 3600 + "h";
        }
        return seconds % 60 == 0 && seconds > 0 ? seconds / 60 + "m" : seconds + "s";
    }
}
