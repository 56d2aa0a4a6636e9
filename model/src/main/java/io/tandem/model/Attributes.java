package io.tandem.model;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An agent's attributes, such as {@code rack:r1;zone:a;level:3;slots:[1-4]}: descriptive facts that
 * frameworks match their constraints against. Immutable; at most one value per name.
 */
public final class Attributes {
    private static final Attributes EMPTY = new Attributes(new TreeMap<>());

    private final Map<String, AttributeValue> values;

    private Attributes(TreeMap<String, AttributeValue> values) {
        this.values = Collections.unmodifiableSortedMap(values);
    }

    public static Attributes empty() {
        return EMPTY;
    }

    /** @throws IllegalArgumentException on an invalid name or a repeated one */
    public static Attributes of(Map<String, ? extends AttributeValue> values) {
        TreeMap<String, AttributeValue> copy = new TreeMap<>();
        values.forEach((name, value) -> copy.put(Names.requireName(name), Objects.requireNonNull(value, name)));
        return copy.isEmpty() ? EMPTY : new Attributes(copy);
    }

    /**
     * Parses {@code "rack:r1;zone:a;level:3;slots:[1-4]"}: a number is a scalar, {@code [..]} ranges, and
     * anything else text.
     *
     * @throws IllegalArgumentException naming the bad token, e.g.
     *     {@code malformed attribute 'rack:r#1': unknown value 'r#1' (...)}
     */
    public static Attributes parse(String spec) {
        Objects.requireNonNull(spec, "spec");
        TreeMap<String, AttributeValue> out = new TreeMap<>();
        for (String token : SpecParser.tokens(spec)) {
            try {
                int colon = token.indexOf(':');
                if (colon < 0) {
                    throw new IllegalArgumentException("expected name:value");
                }
                String name = Names.requireName(token.substring(0, colon).strip());
                if (out.put(name, parseValue(name, token.substring(colon + 1).strip())) != null) {
                    throw new IllegalArgumentException("attribute '" + name + "' given twice");
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("malformed attribute '" + token + "': " + e.getMessage(), e);
            }
        }
        return out.isEmpty() ? EMPTY : new Attributes(out);
    }

    private static AttributeValue parseValue(String name, String text) {
        if (SpecParser.isRanges(text)) {
            return SpecParser.ranges(text);
        }
        if (SpecParser.isNumeric(text)) {
            return SpecParser.scalar(name, text);
        }
        return new AttributeValue.Text(text);
    }

    public Optional<AttributeValue> get(String name) {
        return Optional.ofNullable(values.get(name));
    }

    /** By name, in name order. */
    public Map<String, AttributeValue> asMap() {
        return values;
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Attributes other && values.equals(other.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    /** {@code level:3;rack:r1}: the text {@link #parse} reads. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        values.forEach((name, value) -> {
            if (!out.isEmpty()) {
                out.append(';');
            }
            out.append(name).append(':').append(value.text());
        });
        return out.toString();
    }
}
