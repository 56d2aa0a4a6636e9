package io.tandem.api;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * RecordIO framing used by Mesos streaming responses: each record is its length in bytes as
 * decimal ASCII, a newline, then exactly that many bytes. {@code "5\nhello"}.
 */
public final class RecordIo {
    /** Records larger than this are refused; an event this large means a corrupt stream. */
    public static final int MAX_RECORD_BYTES = 64 * 1024 * 1024;

    private RecordIo() {}

    public static byte[] frame(byte[] record) {
        byte[] header = (record.length + "\n").getBytes(StandardCharsets.US_ASCII);
        byte[] framed = new byte[header.length + record.length];
        System.arraycopy(header, 0, framed, 0, header.length);
        System.arraycopy(record, 0, framed, header.length, record.length);
        return framed;
    }

    /** Reads records one at a time from a stream. Not thread-safe: one reader per stream. */
    public static final class Reader {
        private final InputStream in;

        public Reader(InputStream in) {
            this.in = in;
        }

        /** The next record, or {@code null} at a clean end of stream (between records). */
        public byte[] next() throws IOException {
            ByteArrayOutputStream digits = new ByteArrayOutputStream(12);
            int c;
            while ((c = in.read()) != '\n') {
                if (c == -1) {
                    if (digits.size() == 0) {
                        return null;
                    }
                    throw new EOFException("stream ended inside a RecordIO length");
                }
                if (c < '0' || c > '9' || digits.size() > 10) {
                    throw new IOException("malformed RecordIO length near byte '" + (char) c + "'");
                }
                digits.write(c);
            }
            if (digits.size() == 0) {
                throw new IOException("empty RecordIO length");
            }
            long length = Long.parseLong(digits.toString(StandardCharsets.US_ASCII));
            if (length > MAX_RECORD_BYTES) {
                throw new IOException("RecordIO record of " + length + " bytes exceeds " + MAX_RECORD_BYTES);
            }
            byte[] record = in.readNBytes((int) length);
            if (record.length != length) {
                throw new EOFException("stream ended inside a RecordIO record");
            }
            return record;
        }
    }
}
