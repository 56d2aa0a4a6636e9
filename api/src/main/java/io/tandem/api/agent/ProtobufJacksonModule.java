package io.tandem.api.agent;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.Deserializers;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import io.tandem.api.MesosJson;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;

/**
 * Lets Jackson records carry Mesos protobuf messages: each message is written in Mesos's JSON form
 * ({@link MesosJson}) and read back through its generated builder; a {@link ByteString} is base64.
 */
final class ProtobufJacksonModule extends SimpleModule {
    ProtobufJacksonModule() {
        super("mesos-protobuf");
        addSerializer(Message.class, new JsonSerializer<>() {
            @Override
            public void serialize(Message value, JsonGenerator gen, SerializerProvider provider) throws IOException {
                gen.writeRawValue(MesosJson.print(value));
            }
        });
        addSerializer(ByteString.class, new JsonSerializer<>() {
            @Override
            public void serialize(ByteString value, JsonGenerator gen, SerializerProvider provider) throws IOException {
                gen.writeBinary(value.toByteArray());
            }
        });
        addDeserializer(ByteString.class, new JsonDeserializer<>() {
            @Override
            public ByteString deserialize(JsonParser parser, DeserializationContext context) throws IOException {
                return ByteString.copyFrom(parser.getBinaryValue());
            }
        });
    }

    @Override
    public void setupModule(SetupContext context) {
        super.setupModule(context);
        context.addDeserializers(new Deserializers.Base() {
            @Override
            public JsonDeserializer<?> findBeanDeserializer(
                    JavaType type, DeserializationConfig config, BeanDescription description) {
                return Message.class.isAssignableFrom(type.getRawClass()) ? new MessageDeserializer(type.getRawClass()) : null;
            }
        });
    }

    private static final class MessageDeserializer extends JsonDeserializer<Message> {
        private final Class<?> type;

        MessageDeserializer(Class<?> type) {
            this.type = type;
        }

        @Override
        public Message deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            String json = parser.readValueAsTree().toString();
            try {
                Message.Builder builder = (Message.Builder) type.getMethod("newBuilder").invoke(null);
                return MesosJson.parse(json, builder).build();
            } catch (NoSuchMethodException | IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException("not a generated protobuf message: " + type, e);
            }
        }
    }
}
