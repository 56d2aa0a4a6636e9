package io.tandem.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AttributesTest {

    @Test
    void parsesTextScalarAndRanges() {
        Attributes a = Attributes.parse("rack:r1;zone:a;level:3;slots:[1-4]");

        assertThat(a.get("rack")).contains(new AttributeValue.Text("r1"));
        assertThat(a.get("level")).contains(Value.Scalar.of(3));
        assertThat(a.get("slots")).contains(Value.Ranges.of(1, 4));
        assertThat(a.get("missing")).isEmpty();
    }

    @Test
    void printsInTheFormatItParses() {
        Attributes a = Attributes.parse("zone:a; rack:r1;level:3.5;slots:[1-4,6-6]");

        assertThat(a.toString()).isEqualTo("level:3.5;rack:r1;slots:[1-4,6-6];zone:a");
        assertThat(Attributes.parse(a.toString())).isEqualTo(a);
    }

    @Test
    void refusesUnknownValuesNamingTheToken() {
        assertThatThrownBy(() -> Attributes.parse("rack:r#1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("malformed attribute 'rack:r#1': unknown value 'r#1'");
    }

    @Test
    void refusesNegativeNumbersAndRepeatedNames() {
        assertThatThrownBy(() -> Attributes.parse("level:-3"))
                .hasMessage("malformed attribute 'level:-3': level must be a non-negative number");
        assertThatThrownBy(() -> Attributes.parse("rack:a;rack:b"))
                .hasMessage("malformed attribute 'rack:b': attribute 'rack' given twice");
    }

    @Test
    void emptySpecIsEmpty() {
        assertThat(Attributes.parse("")).isEqualTo(Attributes.empty());
        assertThat(Attributes.empty().isEmpty()).isTrue();
    }
}
