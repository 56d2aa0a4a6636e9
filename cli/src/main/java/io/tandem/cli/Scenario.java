package io.tandem.cli;

import java.util.List;

/**
 * A {@code tandem simulate} scenario as written in its YAML file: a cluster (agents, roles) and frameworks
 * with declared demand, and the allocator's policy. Bound by Jackson with unknown keys refused; the values
 * are checked by {@link ScenarioReader}, which knows each one's line. Absent optional keys are null here.
 *
 * @param description free text shown at the top of the output
 * @param allocator {@code drf} (default) or {@code mmf}
 * @param fairShareResource the resource max-min fairness shares (default {@code cpus}); ignored by drf
 */
record Scenario(String description, String allocator, String fairShareResource, List<Agent> agents,
        List<Role> roles, List<Framework> frameworks) {

    static final String DEFAULT_ALLOCATOR = "drf";
    static final String DEFAULT_FAIR_SHARE_RESOURCE = "cpus";

    Scenario {
        // Not List.copyOf: a YAML list may hold an empty entry (null), which the reader reports with its line.
        agents = agents == null ? List.of() : agents;
        roles = roles == null ? List.of() : roles;
        frameworks = frameworks == null ? List.of() : frameworks;
        allocator = allocator == null ? DEFAULT_ALLOCATOR : allocator;
        fairShareResource = fairShareResource == null ? DEFAULT_FAIR_SHARE_RESOURCE : fairShareResource;
    }

    /** @param resources a resource spec, e.g. {@code cpus:18;mem:36864}; @param attributes e.g. {@code rack:r1} */
    record Agent(String id, String resources, String attributes) {}

    /** @param weight absent: 1.0; @param quota absent: none */
    record Role(String name, Double weight, Quota quota) {}

    /** Both optional resource specs of unreserved scalars, e.g. {@code cpus:4;mem:4096}. */
    record Quota(String guarantee, String limit) {}

    /** @param roles absent: {@code ["*"]}; @param demand absent: it gets whole agents, as in Mesos */
    record Framework(String id, List<String> roles, List<Demand> demand) {
        Framework {
            roles = roles == null ? List.of("*") : roles;
            demand = demand == null ? List.of() : demand;
        }
    }

    /**
     * {@code count} tasks of {@code shape} (unreserved scalars, e.g. {@code cpus:2;mem:8192}) in {@code role}
     * (absent: the framework's only role).
     */
    record Demand(String role, String shape, Integer count) {}
}
