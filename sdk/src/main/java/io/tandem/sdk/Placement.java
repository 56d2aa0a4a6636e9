package io.tandem.sdk;

import java.util.List;
import org.apache.mesos.v1.Protos.Resource;

/**
 * The answer of {@link OfferMatcher#take}: either the exact resources to put in a {@code TaskInfo}
 * (and the ports chosen among them), or a reason a person can read for why the task does not fit.
 *
 * @param resources empty unless {@code fits}
 * @param ports the port numbers picked, in ascending order; empty unless {@code fits}
 * @param reason empty when {@code fits}
 */
public record Placement(boolean fits, List<Resource> resources, List<Long> ports, String reason) {

    public Placement {
        resources = List.copyOf(resources);
        ports = List.copyOf(ports);
    }

    static Placement fit(List<Resource> resources, List<Long> ports) {
        return new Placement(true, resources, ports, "");
    }

    static Placement misfit(String reason) {
        return new Placement(false, List.of(), List.of(), reason);
    }
}
