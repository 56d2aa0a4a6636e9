package io.tandem.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.MapEntry;
import com.google.protobuf.Message;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * Writes a protobuf message the way Mesos's own JSON writer does, which differs from protobuf's
 * canonical JSON in one way that breaks real clients: 64-bit integers are JSON numbers
 * ({@code "begin":31000}), not strings ({@code "begin":"31000"}). Otherwise: proto field names, only
 * the fields that are set, enums by name, bytes as base64, repeated fields as arrays, map fields as
 * objects. Reading stays with protobuf's parser, which accepts both forms.
 */
final class MesosJsonWriter {
    private static final JsonFactory FACTORY = new JsonFactory();

    private MesosJsonWriter() {}

    static String write(Message message) {
        StringWriter out = new StringWriter();
        try (JsonGenerator gen = FACTORY.createGenerator(out)) {
            writeMessage(message, gen);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + message.getDescriptorForType().getFullName(), e);
        }
        return out.toString();
    }

    private static void writeMessage(Message message, JsonGenerator gen) throws IOException {
        gen.writeStartObject();
        for (Map.Entry<FieldDescriptor, Object> field : message.getAllFields().entrySet()) {
            FieldDescriptor descriptor = field.getKey();
            gen.writeFieldName(descriptor.getName());
            if (descriptor.isMapField()) {
                writeMap(descriptor, (List<?>) field.getValue(), gen);
            } else if (descriptor.isRepeated()) {
                gen.writeStartArray();
                for (Object element : (List<?>) field.getValue()) {
                    writeValue(descriptor, element, gen);
                }
                gen.writeEndArray();
            } else {
                writeValue(descriptor, field.getValue(), gen);
            }
        }
        gen.writeEndObject();
    }

    private static void writeMap(FieldDescriptor descriptor, List<?> entries, JsonGenerator gen) throws IOException {
        FieldDescriptor valueField = descriptor.getMessageType().findFieldByName("value");
        gen.writeStartObject();
        for (Object entry : entries) {
            MapEntry<?, ?> mapEntry = (MapEntry<?, ?>) entry;
            gen.writeFieldName(String.valueOf(mapEntry.getKey()));
            writeValue(valueField, mapEntry.getValue(), gen);
        }
        gen.writeEndObject();
    }

    private static void writeValue(FieldDescriptor field, Object value, JsonGenerator gen) throws IOException {
        switch (field.getType()) {
            case INT32, SINT32, SFIXED32 -> gen.writeNumber((Integer) value);
            case UINT32, FIXED32 -> gen.writeNumber(Integer.toUnsignedLong((Integer) value));
            case INT64, SINT64, SFIXED64 -> gen.writeNumber((Long) value);
            case UINT64, FIXED64 -> gen.writeNumber(Long.toUnsignedString((Long) value));
            case FLOAT -> gen.writeNumber((Float) value);
            case DOUBLE -> gen.writeNumber((Double) value);
            case BOOL -> gen.writeBoolean((Boolean) value);
            case STRING -> gen.writeString((String) value);
            case BYTES -> gen.writeBinary(((ByteString) value).toByteArray());
            case ENUM -> gen.writeString(((EnumValueDescriptor) value).getName());
            case MESSAGE, GROUP -> writeMessage((Message) value, gen);
        }
    }
}
