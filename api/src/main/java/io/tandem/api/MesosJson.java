package io.tandem.api;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;

/**
 * Mesos's JSON form of protobuf messages: proto field names (snake_case), enum values by name,
 * bytes as base64, 64-bit integers as numbers ({@link MesosJsonWriter}). Input may write 64-bit
 * integers either way; unknown fields are ignored on input, as Mesos does, so newer clients work.
 *
 * <p>Thread-safe; the printer and parser are immutable.
 */
public final class MesosJson {
    private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();

    private MesosJson() {}

    public static String print(Message message) {
        return MesosJsonWriter.write(message);
    }

    /**
     * Parses {@code json} into {@code builder}.
     *
     * @throws MalformedMessageException naming the message type and what was wrong
     */
    public static <B extends Message.Builder> B parse(String json, B builder) {
        try {
            PARSER.merge(json, builder);
            return builder;
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            throw new MalformedMessageException(
                    "malformed " + builder.getDescriptorForType().getName() + " JSON: " + e.getMessage(), e);
        }
    }
}
