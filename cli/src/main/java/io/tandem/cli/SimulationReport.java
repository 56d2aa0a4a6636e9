package io.tandem.cli;

import io.tandem.allocator.Grant;
import io.tandem.allocator.RoleSummary;
import io.tandem.allocator.TaskShape;
import io.tandem.allocator.sorter.MaxMinSorter;
import io.tandem.allocator.sorter.WaterFilling;
import io.tandem.model.Resources;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.stream.Collectors;

/**
 * The text {@code tandem simulate} prints: the scenario in one line, each allocation round's launches, for
 * max-min the water-filling rounds that explain the outcome, and the final allocation as tables.
 */
final class SimulationReport {
    private final String name;
    private final Simulation simulation;
    private final List<Simulation.Round> rounds;
    private final Resources total;

    /** @param rounds what {@link Simulation#run()} returned */
    SimulationReport(String name, Simulation simulation, List<Simulation.Round> rounds) {
        this.name = name;
        this.simulation = simulation;
        this.rounds = rounds;
        this.total = simulation.allocator().clusterScalars();
    }

    String render() {
        StringBuilder out = new StringBuilder();
        Scenario s = simulation.scenario();
        out.append("scenario ").append(name);
        if (s.description() != null && !s.description().isBlank()) {
            out.append(": ").append(s.description().strip());
        }
        out.append('\n').append("policy ").append(policy()).append("; cluster ").append(total).append(" on ")
                .append(s.agents().size()).append(" agent(s); ").append(s.frameworks().size())
                .append(" framework(s)\n");
        rounds.forEach(r -> out.append(round(r)));
        if (isMaxMin()) {
            out.append(waterFilling());
        }
        simulation.warnings().forEach(w -> out.append("warning: ").append(w).append('\n'));
        out.append(finalTable());
        if (!s.roles().isEmpty()) {
            out.append(rolesTable());
        }
        return out.toString();
    }

    private boolean isMaxMin() {
        return MaxMinSorter.NAME.equals(simulation.scenario().allocator());
    }

    private String policy() {
        return isMaxMin() ? "mmf (max-min fairness over " + simulation.scenario().fairShareResource() + ")"
                : "drf (dominant resource fairness)";
    }

    private static String round(Simulation.Round round) {
        if (round.grants().isEmpty()) {
            return "allocation round " + round.number() + ": nothing more to grant\n";
        }
        Map<Simulation.Member, List<Grant>> byMember = new LinkedHashMap<>();
        round.grants().forEach(g -> byMember.computeIfAbsent(new Simulation.Member(g.frameworkId(), g.role()),
                m -> new ArrayList<>()).add(g));
        StringBuilder out = new StringBuilder("allocation round " + round.number() + ":\n");
        byMember.forEach((m, grants) -> {
            Integer tasks = round.tasks().get(m);
            out.append("  ").append(m.framework()).append(" (role ").append(m.role()).append("): ")
                    .append(tasks == null ? "offered " : tasks + " task(s), ")
                    .append(grants.stream().map(g -> g.resources() + " on " + g.agentId())
                            .collect(Collectors.joining(", ")))
                    .append('\n');
        });
        return out.toString();
    }

    /** The article's rounds: equal shares for the unsatisfied, capped at demand, leftovers re-divided. */
    private String waterFilling() {
        String resource = simulation.scenario().fairShareResource();
        Map<String, Double> demands = simulation.initialDemand(resource);
        WaterFilling.Result result = WaterFilling.of(total.scalar(resource), demands);
        StringBuilder out = new StringBuilder("max-min fairness over " + resource + ", capacity "
                + number(total.scalar(resource)) + "; declared demands "
                + demands.entrySet().stream().map(e -> e.getKey() + " " + number(e.getValue()))
                        .collect(Collectors.joining(", "))
                + ":\n");
        int n = 1;
        for (WaterFilling.Round r : result.rounds()) {
            out.append("  round ").append(n++).append(": ").append(number(r.offeredEach())).append(" each to ")
                    .append(String.join(", ", r.given().keySet()));
            r.given().forEach((who, got) -> {
                if (got < r.offeredEach() - 1e-9) {
                    out.append("; ").append(who).append(" keeps ").append(number(got));
                }
            });
            out.append("; ").append(number(r.leftover())).append(" left over\n");
        }
        String differs = differences(result.shares(), resource);
        if (!differs.isEmpty()) {
            out.append("  the allocator differs from plain water-filling (weights, roles, quota, reservations or ")
                    .append("frameworks without demand): ").append(differs).append('\n');
        }
        return out.toString();
    }

    /** Frameworks whose allocation is off the water-filling share by more than one of their tasks. */
    private String differences(SortedMap<String, Double> shares, String resource) {
        Map<String, Double> held = new LinkedHashMap<>();
        Map<String, Double> slack = new LinkedHashMap<>();
        for (Simulation.Outcome o : simulation.outcomes()) {
            String id = o.member().framework().value();
            held.merge(id, o.held().scalar(resource), Double::sum);
        }
        for (Scenario.Framework f : simulation.scenario().frameworks()) {
            slack.put(f.id(), f.demand().stream()
                    .mapToDouble(d -> Resources.parse(d.shape()).scalar(resource)).max().orElse(0) + 1e-9);
        }
        return shares.entrySet().stream()
                .filter(e -> Math.abs(held.getOrDefault(e.getKey(), 0.0) - e.getValue()) > slack.get(e.getKey()))
                .map(e -> e.getKey() + " has " + number(held.get(e.getKey())) + ", water-filling gives "
                        + number(e.getValue()))
                .collect(Collectors.joining("; "));
    }

    private String finalTable() {
        String resource = simulation.scenario().fairShareResource();
        StateTable table = new StateTable("final allocation:", "FRAMEWORK", "ROLE", "TASKS", "RESOURCES",
                isMaxMin() ? resource.toUpperCase(Locale.ROOT) + " (FAIR SHARE)" : "DOMINANT SHARE",
                "UNMET DEMAND");
        for (Simulation.Outcome o : simulation.outcomes()) {
            table.row(o.member().framework().value(), o.member().role(),
                    o.tasks() < 0 ? "-" : Integer.toString(o.tasks()),
                    o.held().scalars().isEmpty() ? "-" : scalars(o.held()).toString(),
                    isMaxMin() ? number(o.held().scalar(resource)) : dominantShare(o.held()),
                    unmet(o));
        }
        return table.render();
    }

    private String rolesTable() {
        StateTable table = new StateTable("roles:", "ROLE", "WEIGHT", "QUOTA", "ALLOCATED", "SHARE");
        for (RoleSummary role : simulation.allocator().roles()) {
            table.row(role.role(), number(role.weight()),
                    role.quota().map(q -> "guarantee " + orNone(q.guarantee()) + ", limit " + orNone(q.limit()))
                            .orElse("-"),
                    orNone(role.allocated()), isMaxMin() ? number(role.share()) : fraction(role.share()));
        }
        return table.render();
    }

    /** {@code dominantShare = max_r(held_r / total_r)}, e.g. {@code 2/3 of mem}. */
    String dominantShare(Resources held) {
        String best = null;
        double share = 0;
        for (var e : total.scalars().entrySet()) {
            double s = e.getValue() > 0 ? held.scalar(e.getKey()) / e.getValue() : 0;
            if (best == null || s > share) {
                best = e.getKey();
                share = s;
            }
        }
        return best == null || share == 0 ? "0" : fraction(share) + " of " + best;
    }

    private static String unmet(Simulation.Outcome o) {
        if (o.unmet().isEmpty()) {
            return o.tasks() < 0 ? "(none declared)" : "-";
        }
        return o.unmet().stream().map(SimulationReport::tasks).collect(Collectors.joining(", ")) + ": " + o.reason();
    }

    private static String tasks(TaskShape shape) {
        return shape.count() + " x " + shape.resources();
    }

    private static Resources scalars(Resources r) {
        return r.filter(x -> x.value() instanceof io.tandem.model.Value.Scalar);
    }

    private static String orNone(Resources r) {
        return r.isEmpty() ? "none" : r.toString();
    }

    /** A simple fraction when one with a denominator up to 12 is exact (2/3), else three decimals. */
    static String fraction(double x) {
        for (int d = 1; d <= 12; d++) {
            double n = x * d;
            if (Math.abs(n - Math.rint(n)) < 1e-6) {
                return d == 1 ? number(n) : (long) Math.rint(n) + "/" + d;
            }
        }
        return String.format(Locale.ROOT, "%.3f", x);
    }

    /** 32.5, 10, 0.333: at most three decimals, none for whole numbers. */
    static String number(double value) {
        double rounded = Math.round(value * 1000) / 1000.0;
        return rounded == Math.rint(rounded) ? Long.toString((long) rounded) : Double.toString(rounded);
    }
}
