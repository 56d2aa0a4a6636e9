package io.tandem.master;

import java.time.Duration;

/**
 * Durations as people write them in logs and messages: {@code 3s}, {@code 1m30s}, {@code 2h},
 * {@code 1.5s}, {@code 250ms}, rather than {@link Duration#toString()}'s {@code PT3S}. Below a
 * millisecond is dropped. Stateless.
 */
final class HumanDuration {
    private HumanDuration() {}

    static String format(Duration duration) {
        if (duration.isNegative()) {
            return "-" + format(duration.negated());
        }
        long millis = duration.toMillis();
        if (millis < 1000) {
            return millis == 0 ? "0s" : millis + "ms";
        }
        long days = millis / 86_400_000;
        long hours = millis / 3_600_000 % 24;
        long minutes = millis / 60_000 % 60;
        long secondsMillis = millis % 60_000;
        StringBuilder text = new StringBuilder();
        append(text, days, "d");
        append(text, hours, "h");
        append(text, minutes, "m");
        if (secondsMillis % 1000 == 0) {
            append(text, secondsMillis / 1000, "s");
        } else {
            // 1500 ms -> "1.5s": thousandths with trailing zeros dropped.
            String fraction = String.format("%03d", secondsMillis % 1000).replaceAll("0+$", "");
            text.append(secondsMillis / 1000).append('.').append(fraction).append('s');
        }
        return text.toString();
    }

    private static void append(StringBuilder text, long amount, String unit) {
        if (amount > 0) {
            text.append(amount).append(unit);
        }
    }
}
