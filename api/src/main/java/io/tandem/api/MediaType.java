package io.tandem.api;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import java.nio.charset.StandardCharsets;

/**
 * The two encodings of the Mesos v1 HTTP APIs: {@code application/json} and
 * {@code application/x-protobuf}. A request's Content-Type decides how its body is read; its
 * Accept header decides how the response (and a subscription's stream) is written.
 */
public enum MediaType {
    JSON("application/json"),
    PROTOBUF("application/x-protobuf");

    private final String mime;

    MediaType(String mime) {
        this.mime = mime;
    }

    public String mime() {
        return mime;
    }

    /** The type named by a Content-Type or Accept header, ignoring parameters; JSON when absent or {@code *}{@code /*}. */
    public static MediaType fromHeader(String header) {
        if (header == null || header.isBlank()) {
            return JSON;
        }
        for (String part : header.split(",")) {
            String type = part.split(";")[0].trim().toLowerCase();
            if (type.equals(PROTOBUF.mime)) {
                return PROTOBUF;
            }
            if (type.equals(JSON.mime) || type.equals("*/*") || type.equals("application/*")) {
                return JSON;
            }
        }
        throw new MalformedMessageException("unsupported media type '" + header
                + "'; use application/json or application/x-protobuf");
    }

    public byte[] encode(Message message) {
        return this == PROTOBUF ? message.toByteArray() : MesosJson.print(message).getBytes(StandardCharsets.UTF_8);
    }

    public <B extends Message.Builder> B decode(byte[] body, B builder) {
        if (this == JSON) {
            return MesosJson.parse(new String(body, StandardCharsets.UTF_8), builder);
        }
        try {
            builder.mergeFrom(body);
            return builder;
        } catch (InvalidProtocolBufferException e) {
            throw new MalformedMessageException(
                    "malformed " + builder.getDescriptorForType().getName() + " protobuf: " + e.getMessage(), e);
        }
    }
}
