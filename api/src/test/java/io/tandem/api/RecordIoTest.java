package io.tandem.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RecordIoTest {

    @Test
    void framesWithDecimalLengthAndNewline() {
        assertThat(new String(RecordIo.frame("hello".getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8))
                .isEqualTo("5\nhello");
    }

    @Test
    void readsRecordsBackThenNullAtEnd() throws IOException {
        RecordIo.Reader reader = new RecordIo.Reader(new ByteArrayInputStream("3\nabc0\n2\nde".getBytes(StandardCharsets.UTF_8)));

        assertThat(reader.next()).asString(StandardCharsets.UTF_8).isEqualTo("abc");
        assertThat(reader.next()).isEmpty();
        assertThat(reader.next()).asString(StandardCharsets.UTF_8).isEqualTo("de");
        assertThat(reader.next()).isNull();
    }

    @Test
    void refusesTruncatedRecord() {
        RecordIo.Reader reader = new RecordIo.Reader(new ByteArrayInputStream("10\nabc".getBytes(StandardCharsets.UTF_8)));

        assertThatThrownBy(reader::next).hasMessageContaining("inside a RecordIO record");
    }

    @Test
    void refusesNonDigitLength() {
        RecordIo.Reader reader = new RecordIo.Reader(new ByteArrayInputStream("x\n".getBytes(StandardCharsets.UTF_8)));

        assertThatThrownBy(reader::next).hasMessageContaining("malformed RecordIO length");
    }
}
