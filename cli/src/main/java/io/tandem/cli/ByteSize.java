package io.tandem.cli;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Sizes as people write them, in powers of 1024 as Mesos reads them: {@code 512KB}, {@code 10MB}, {@code 1GB}, {@code 4096B}. */
final class ByteSize {
    private static final Pattern FORM = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(B|KB|MB|GB|TB)");

    private ByteSize() {}

    /**
     * @throws IllegalArgumentException naming {@code option} and the value when it is not a size
     */
    static long parse(String option, String value) {
        Matcher m = FORM.matcher(value.strip().toUpperCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException(option + " '" + value
                    + "' is not a size; write a number and a unit: 4096B, 512KB, 10MB or 1GB");
        }
        long unit = switch (m.group(2)) {
            case "B" -> 1;
            case "KB" -> 1L << 10;
            case "MB" -> 1L << 20;
            case "GB" -> 1L << 30;
            default -> 1L << 40;
        };
        return Math.round(Double.parseDouble(m.group(1)) * unit);
    }
}
