package io.tandem.api.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.tandem.api.MalformedMessageException;
import java.io.IOException;

/**
 * JSON encoding of {@link AgentCall} and {@link AgentEvent}. Thread-safe.
 *
 * <p>Paths and headers of the protocol are constants here so both ends agree.
 */
public final class AgentProtocol {
    /** The master's endpoint for agents. */
    public static final String PATH = "/internal/agent";
    /** Header naming the agent's current stream on every call after SUBSCRIBE. */
    public static final String STREAM_ID_HEADER = "Mesos-Stream-Id";
    /** Header naming the calling agent on every call after SUBSCRIBE. */
    public static final String AGENT_ID_HEADER = "Tandem-Agent-Id";

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new ProtobufJacksonModule())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private AgentProtocol() {}

    public static byte[] encode(AgentCall call) {
        return write(call);
    }

    public static byte[] encode(AgentEvent event) {
        return write(event);
    }

    public static AgentCall decodeCall(byte[] json) {
        return read(json, AgentCall.class);
    }

    public static AgentEvent decodeEvent(byte[] json) {
        return read(json, AgentEvent.class);
    }

    private static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + value.getClass().getSimpleName(), e);
        }
    }

    private static <T> T read(byte[] json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new MalformedMessageException("malformed " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new MalformedMessageException("malformed " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }
}
