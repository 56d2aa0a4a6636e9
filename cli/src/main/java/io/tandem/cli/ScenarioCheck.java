package io.tandem.cli;

import io.tandem.allocator.Quota;
import io.tandem.allocator.TaskShape;
import io.tandem.allocator.sorter.Sorters;
import io.tandem.model.AgentId;
import io.tandem.model.Attributes;
import io.tandem.model.FrameworkId;
import io.tandem.model.Resource;
import io.tandem.model.Resources;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The rules a scenario's values must follow, checked after binding so that every problem is reported at
 * once, each at its JSON pointer (which {@link ScenarioReader} turns into a line). The model's own parsers
 * ({@code Resources.parse}, {@code TaskShape}, {@code Quota}) do most of the checking and name the bad token.
 */
final class ScenarioCheck {
    /** @param pointer where in the file, e.g. {@code /roles/0/weight} */
    record Problem(String pointer, String message) {}

    private final List<Problem> problems = new ArrayList<>();
    private final Set<String> declaredRoles = new HashSet<>(Set.of(Resource.UNRESERVED));

    private ScenarioCheck() {}

    static List<Problem> problems(Scenario scenario) {
        ScenarioCheck check = new ScenarioCheck();
        check.policy(scenario);
        check.agents(scenario.agents());
        check.roles(scenario.roles());
        check.frameworks(scenario.frameworks());
        return List.copyOf(check.problems);
    }

    private void policy(Scenario s) {
        if (!Sorters.names().contains(s.allocator())) {
            add("/allocator", "unknown allocator '" + s.allocator() + "'; known: " + String.join(", ", Sorters.names()));
        }
        if (s.fairShareResource().isBlank()) {
            add("/fairShareResource", "the fair-share resource must be named, e.g. cpus");
        }
    }

    private void agents(List<Scenario.Agent> agents) {
        if (agents.isEmpty()) {
            add("/agents", "a scenario needs at least one agent");
        }
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < agents.size(); i++) {
            String at = "/agents/" + i;
            Scenario.Agent agent = agents.get(i);
            if (agent == null) {
                add(at, "an empty agent");
                continue;
            }
            id(at, agent.id(), ids, "agent", () -> AgentId.of(agent.id()));
            Resources total = spec(at + "/resources", agent.resources(), true);
            if (total != null && total.scalars().isEmpty()) {
                add(at + "/resources", "an agent needs scalar resources such as cpus or mem, got '"
                        + agent.resources() + "'");
            }
            if (agent.attributes() != null) {
                attempt(at + "/attributes", () -> Attributes.parse(agent.attributes()));
            }
        }
    }

    private void roles(List<Scenario.Role> roles) {
        for (int i = 0; i < roles.size(); i++) {
            String at = "/roles/" + i;
            Scenario.Role role = roles.get(i);
            if (role == null) {
                add(at, "an empty role");
                continue;
            }
            id(at, role.name(), declaredRoles, "role", () -> Resource.requireValidRole(role.name()));
            if (role.weight() != null && !(role.weight() > 0 && Double.isFinite(role.weight()))) {
                add(at + "/weight", "a weight must be a positive number, got " + plain(role.weight()));
            }
            if (role.quota() != null) {
                Resources guarantee = spec(at + "/quota/guarantee", orEmpty(role.quota().guarantee()), false);
                Resources limit = spec(at + "/quota/limit", orEmpty(role.quota().limit()), false);
                if (guarantee != null && limit != null) {
                    attempt(at + "/quota", () -> new Quota(guarantee, limit));
                }
            }
        }
    }

    private void frameworks(List<Scenario.Framework> frameworks) {
        if (frameworks.isEmpty()) {
            add("/frameworks", "a scenario needs at least one framework");
        }
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < frameworks.size(); i++) {
            String at = "/frameworks/" + i;
            Scenario.Framework framework = frameworks.get(i);
            if (framework == null) {
                add(at, "an empty framework");
                continue;
            }
            id(at, framework.id(), ids, "framework", () -> FrameworkId.of(framework.id()));
            if (framework.roles().isEmpty()) {
                add(at + "/roles", "a framework needs at least one role");
            }
            for (int r = 0; r < framework.roles().size(); r++) {
                String role = framework.roles().get(r);
                if (!declaredRoles.contains(role)) {
                    add(at + "/roles/" + r, "role '" + role + "' is not declared under roles:"
                            + " (declared: " + String.join(", ", new java.util.TreeSet<>(declaredRoles)) + ")");
                }
            }
            for (int d = 0; d < framework.demand().size(); d++) {
                demand(at + "/demand/" + d, framework, framework.demand().get(d));
            }
        }
    }

    private void demand(String at, Scenario.Framework framework, Scenario.Demand demand) {
        if (demand == null) {
            add(at, "an empty demand");
            return;
        }
        if (demand.role() == null && framework.roles().size() != 1) {
            add(at, "the framework has " + framework.roles().size() + " roles: name the demand's role");
        } else if (demand.role() != null && !framework.roles().contains(demand.role())) {
            add(at + "/role", "the framework is not in role '" + demand.role() + "' (its roles: "
                    + String.join(", ", framework.roles()) + ")");
        }
        if (demand.count() == null) {
            add(at, "a demand needs a count of tasks");
        } else if (demand.count() < 0) {
            add(at + "/count", "a task count must not be negative, got " + demand.count());
        }
        Resources shape = spec(at + "/shape", demand.shape(), true);
        if (shape != null) {
            attempt(at + "/shape", () -> new TaskShape(shape, 0));
        }
    }

    /** A required, unique id that the model accepts. */
    private void id(String at, String id, Set<String> seen, String what, Supplier<?> model) {
        if (id == null || id.isBlank()) {
            add(at, "a " + what + " needs a non-blank " + (what.equals("role") ? "name" : "id"));
        } else if (!seen.add(id)) {
            add(at, "a second " + what + " named '" + id + "'");
        } else {
            attempt(at, model);
        }
    }

    /** The parsed spec, or null after recording why it is missing or malformed. */
    private Resources spec(String at, String spec, boolean required) {
        if (spec == null || (required && spec.isBlank())) {
            add(at, required ? "a resource spec is required, e.g. cpus:2;mem:8192" : "a resource spec, e.g. cpus:2");
            return null;
        }
        try {
            return Resources.parse(spec);
        } catch (IllegalArgumentException e) {
            add(at, "malformed resources '" + spec + "': " + e.getMessage());
            return null;
        }
    }

    private void attempt(String at, Supplier<?> check) {
        try {
            check.get();
        } catch (IllegalArgumentException e) {
            add(at, e.getMessage());
        }
    }

    /** 0 rather than 0.0, as the file most likely says. */
    private static String plain(double value) {
        return value == Math.rint(value) && Double.isFinite(value) ? Long.toString((long) value) : Double.toString(value);
    }

    private static String orEmpty(String spec) {
        return spec == null ? "" : spec;
    }

    private void add(String pointer, String message) {
        problems.add(new Problem(pointer, message));
    }
}
