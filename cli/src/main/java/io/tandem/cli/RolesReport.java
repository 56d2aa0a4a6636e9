package io.tandem.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Renders the master's {@code GET /roles/explain} answer as tables: roles, frameworks per role, and the
 * demand that can never be met with its reason. Stateless.
 */
final class RolesReport {
    private RolesReport() {}

    static String render(JsonNode explained) {
        StringBuilder text = new StringBuilder();
        text.append("Allocator: ").append(policy(explained)).append("   Cluster: ")
                .append(orDash(explained.path("cluster").asText())).append("\n\n");
        StateTable roles = new StateTable("Roles", "ROLE", "ALLOCATED", "DOMINANT SHARE", "SHARE", "WEIGHT",
                "QUOTA GUARANTEE", "QUOTA LIMIT", "FRAMEWORKS");
        StateTable frameworks = new StateTable("Frameworks", "ROLE", "FRAMEWORK", "NAME", "ALLOCATED",
                "DOMINANT SHARE", "DECLARED DEMAND", "UNMET DEMAND");
        StateTable unmet = new StateTable("Unmet demand", "ROLE", "FRAMEWORK", "TASKS", "REASON");
        for (JsonNode role : explained.path("roles")) {
            String name = role.path("role").asText();
            JsonNode quota = role.path("quota");
            roles.row(name, orDash(role.path("allocated").asText()), share(role.path("dominant_share")),
                    share(role.path("share")), number(role.path("weight").asDouble(1.0)),
                    quota.isObject() ? orDash(quota.path("guarantee").asText()) : "-",
                    quota.isObject() ? orDash(quota.path("limit").asText()) : "-",
                    Integer.toString(role.path("frameworks").size()));
            for (JsonNode f : role.path("frameworks")) {
                String id = f.path("framework_id").asText();
                frameworks.row(name, id, orDash(f.path("name").asText()), orDash(f.path("allocated").asText()),
                        share(f.path("dominant_share")), shapes(f.path("demand")), shapes(f.path("unmet")));
                for (JsonNode u : f.path("unmet")) {
                    unmet.row(name, id, u.path("count").asInt() + " x " + u.path("resources").asText(),
                            u.path("reason").asText());
                }
            }
        }
        text.append(roles.render()).append('\n').append(frameworks.render()).append('\n').append(unmet.render());
        JsonNode warnings = explained.path("quota_warnings");
        if (warnings.isArray() && !warnings.isEmpty()) {
            text.append("\nQuota warnings\n");
            warnings.forEach(w -> text.append("  ").append(w.asText()).append('\n'));
        }
        return text.toString();
    }

    private static String policy(JsonNode explained) {
        String allocator = explained.path("allocator").asText("?");
        return "mmf".equals(allocator) ? allocator + " (over " + explained.path("fair_share_resource").asText() + ")"
                : allocator;
    }

    /** E.g. {@code 3 x cpus:2;mem:8192, 1 x cpus:1;mem:128}; {@code -} for none. */
    private static String shapes(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.forEach(s -> out.add(s.path("count").asInt() + " x " + s.path("resources").asText()));
        return out.isEmpty() ? "-" : String.join(", ", out);
    }

    private static String share(JsonNode value) {
        return value.isNumber() ? String.format(Locale.ROOT, "%.3f", value.asDouble()) : "-";
    }

    private static String number(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }

    private static String orDash(String text) {
        return text == null || text.isEmpty() ? "-" : text;
    }
}
