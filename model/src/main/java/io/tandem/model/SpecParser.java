package io.tandem.model;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Reads the text format shared by {@link Resources#parse} and {@link Attributes#parse}: resource tokens and values.
 * Errors are {@link IllegalArgumentException}s whose message the caller prefixes with the whole token.
 */
final class SpecParser {
    // Anything a person may have meant as a number, including ones we refuse (-1, NaN, inf, 1e999).
    private static final Pattern NUMERIC = Pattern.compile(
            "[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?|[+-]?(nan|inf|infinity)", Pattern.CASE_INSENSITIVE);
    private static final Pattern RANGE = Pattern.compile("(\\d{1,18})(?:-(\\d{1,18}))?");

    private SpecParser() {}

    /** Splits {@code "a:1; b:2;"} into {@code ["a:1", "b:2"]}; blank tokens are skipped. */
    static List<String> tokens(String spec) {
        return Arrays.stream(spec.split(";")).map(String::strip).filter(t -> !t.isEmpty()).toList();
    }

    static boolean isNumeric(String text) {
        return NUMERIC.matcher(text).matches();
    }

    static Value.Scalar scalar(String name, String text) {
        BigDecimal amount;
        try {
            amount = new BigDecimal(text.startsWith("+") ? text.substring(1) : text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a non-negative number");
        }
        if (amount.signum() < 0) {
            throw new IllegalArgumentException(name + " must be a non-negative number");
        }
        try {
            return Value.Scalar.of(amount);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + " is too large");
        }
    }

    /** {@code [31000-32000,33000]}: a single number is a one-element range. */
    static Value.Ranges ranges(String text) {
        String inner = text.substring(1, text.length() - 1).strip();
        List<Value.Range> ranges = new ArrayList<>();
        if (inner.isEmpty()) {
            return Value.Ranges.NONE;
        }
        for (String part : inner.split(",", -1)) {
            var m = RANGE.matcher(part.strip());
            if (!m.matches()) {
                throw new IllegalArgumentException("'" + part.strip() + "' is not a range like 31000-32000");
            }
            long begin = Long.parseLong(m.group(1));
            long end = m.group(2) == null ? begin : Long.parseLong(m.group(2));
            if (end < begin) {
                throw new IllegalArgumentException("range " + begin + "-" + end + " begins after it ends");
            }
            ranges.add(new Value.Range(begin, end));
        }
        return new Value.Ranges(ranges);
    }

    /** {@code {a,b}}. */
    static Value.ValueSet set(String text) {
        String inner = text.substring(1, text.length() - 1).strip();
        TreeSet<String> items = new TreeSet<>();
        if (!inner.isEmpty()) {
            for (String item : inner.split(",", -1)) {
                items.add(Names.requireItem(item.strip()));
            }
        }
        return new Value.ValueSet(items);
    }

    static boolean isRanges(String text) {
        return text.length() >= 2 && text.startsWith("[") && text.endsWith("]");
    }

    static boolean isSet(String text) {
        return text.length() >= 2 && text.startsWith("{") && text.endsWith("}");
    }

    /** One resource token, {@code name:value} or {@code name(role):value}, as {@link Resources#parse} reads it. */
    static Resource resource(String token) {
        int colon = token.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("expected name:value or name(role):value");
        }
        String head = token.substring(0, colon).strip();
        String text = token.substring(colon + 1).strip();
        String name = head;
        String role = Resource.UNRESERVED;
        int paren = head.indexOf('(');
        if (paren >= 0) {
            if (!head.endsWith(")")) {
                throw new IllegalArgumentException("expected name(role), got '" + head + "'");
            }
            name = head.substring(0, paren).strip();
            role = head.substring(paren + 1, head.length() - 1).strip();
        }
        Names.requireName(name);
        Names.requireRole(role);
        return new Resource(name, role, resourceValue(name, text));
    }

    private static Value resourceValue(String name, String text) {
        if (isRanges(text)) {
            return ranges(text);
        }
        if (isSet(text)) {
            return set(text);
        }
        if (isNumeric(text)) {
            return scalar(name, text);
        }
        throw new IllegalArgumentException("unknown value '" + text + "' (expected a number, [ranges] or {set})");
    }
}
