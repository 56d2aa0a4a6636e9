package io.tandem.frameworks.common;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.mesos.v1.Protos.Attribute;
import org.apache.mesos.v1.Protos.Offer;

/**
 * What placement constraints look at: an agent's id, hostname and attributes as text. Built from an
 * offer ({@link #of(Offer)}) or from the operator API's agent list ({@link ClusterAgents}).
 *
 * @param attributes attribute name to value as text: {@code "r1"}, {@code "3"}, {@code "[1-4]"}, {@code "{a,b}"}
 */
public record AgentView(String agentId, String hostname, Map<String, String> attributes) {

    /** The pseudo-attribute every agent has: its hostname, as Marathon's constraints call it. */
    public static final String HOSTNAME = "hostname";

    public AgentView {
        attributes = Map.copyOf(attributes);
    }

    public static AgentView of(Offer offer) {
        return new AgentView(offer.getAgentId().getValue(), offer.getHostname(), attributes(offer.getAttributesList()));
    }

    /** The value of {@code attribute} on this agent; {@code hostname} is the agent's hostname. */
    public Optional<String> value(String attribute) {
        if (HOSTNAME.equals(attribute)) {
            return Optional.of(hostname);
        }
        return Optional.ofNullable(attributes.get(attribute));
    }

    /** Mesos attributes as text values, the way {@code --attributes} on an agent wrote them. */
    public static Map<String, String> attributes(Iterable<Attribute> attributes) {
        Map<String, String> text = new LinkedHashMap<>();
        for (Attribute a : attributes) {
            text.put(a.getName(), text(a));
        }
        return text;
    }

    private static String text(Attribute a) {
        return switch (a.getType()) {
            case SCALAR -> java.math.BigDecimal.valueOf(a.getScalar().getValue()).stripTrailingZeros().toPlainString();
            case RANGES -> a.getRanges().getRangeList().stream().map(r -> r.getBegin() + "-" + r.getEnd())
                    .collect(Collectors.joining(",", "[", "]"));
            case SET -> a.getSet().getItemList().stream().collect(Collectors.joining(",", "{", "}"));
            default -> a.getText().getValue();
        };
    }
}
