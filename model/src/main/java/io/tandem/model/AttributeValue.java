package io.tandem.model;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The value of an agent attribute: text ({@code rack:r1}), a scalar ({@code level:3}) or ranges
 * ({@code slots:[1-4]}). Mesos attributes describe an agent; unlike resources they are never consumed.
 */
public sealed interface AttributeValue permits AttributeValue.Text, Value.Scalar, Value.Ranges {

    /** The value in the text format of {@link Attributes#parse}. */
    String text();

    record Text(String value) implements AttributeValue {
        private static final Pattern TEXT = Pattern.compile("[A-Za-z0-9_./-]+");

        public Text {
            Objects.requireNonNull(value, "text");
            if (!TEXT.matcher(value).matches()) {
                throw new IllegalArgumentException("unknown value '" + value
                        + "' (text is letters, digits, '_', '.', '/' and '-')");
            }
        }

        @Override
        public String text() {
            return value;
        }

        @Override
        public String toString() {
            return value;
        }
    }
}
