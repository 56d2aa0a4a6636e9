package io.tandem.frameworks.service;

import java.util.Map;
import java.util.Optional;
import org.apache.mesos.v1.Protos.Attribute;
import org.apache.mesos.v1.Protos.Offer;

/**
 * Where an instance runs or could run, as placement constraints see it: the agent's hostname and its
 * attributes as text ({@code rack: r1}, {@code level: 3}).
 */
public record Site(String agentId, String hostname, Map<String, String> attributes) {

    public Site {
        attributes = Map.copyOf(attributes);
    }

    static Site of(Offer offer) {
        Map<String, String> attributes = new java.util.HashMap<>();
        for (Attribute a : offer.getAttributesList()) {
            attributes.put(a.getName(), text(a));
        }
        return new Site(offer.getAgentId().getValue(), offer.getHostname(), attributes);
    }

    /** The value of {@code field}: the hostname for {@code hostname}, else the attribute's text. */
    public Optional<String> value(String field) {
        return "hostname".equals(field) ? Optional.of(hostname) : Optional.ofNullable(attributes.get(field));
    }

    private static String text(Attribute a) {
        return switch (a.getType()) {
            case TEXT -> a.getText().getValue();
            case SCALAR -> java.math.BigDecimal.valueOf(a.getScalar().getValue()).stripTrailingZeros().toPlainString();
            case RANGES -> a.getRanges().getRangeList().stream().map(r -> "[" + r.getBegin() + "-" + r.getEnd() + "]")
                    .reduce((x, y) -> x + "," + y).orElse("");
            case SET -> String.join(",", a.getSet().getItemList());
            default -> "";
        };
    }
}
