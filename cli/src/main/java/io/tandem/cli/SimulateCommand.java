package io.tandem.cli;

import io.tandem.model.Resources;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code tandem simulate SCENARIO.yaml [--plot FILE.png|FILE.svg]}: the real allocator on a scenario file,
 * without a cluster. A bad scenario is reported (file, line, key, value) and nothing runs: exit 2.
 */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = {"Run the allocator on a scenario file (agents, roles, frameworks with demand) without a",
            "cluster; print each allocation round and the final allocation, and optionally plot it.",
            "Examples ship in cli/src/main/resources/scenarios (maxmin.yaml, drf.yaml)."})
final class SimulateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SCENARIO.yaml", description = "The scenario file (YAML).")
    Path scenarioFile;

    @Option(names = "--plot", paramLabel = "FILE", description = "Also draw the final allocation to FILE.png or FILE.svg.")
    Path plot;

    @Override
    public Integer call() throws IOException {
        if (plot != null) {
            SimulationPlot.requireFormat(plot);   // refused before anything runs
        }
        Scenario scenario = ScenarioReader.read(scenarioFile);
        String name = String.valueOf(scenarioFile.getFileName());
        Simulation simulation = new Simulation(scenario);
        List<Simulation.Round> rounds = simulation.run();
        spec.commandLine().getOut().print(new SimulationReport(name, simulation, rounds).render());
        spec.commandLine().getOut().flush();
        if (rounds.size() == Simulation.MAX_ROUNDS && !rounds.getLast().grants().isEmpty()) {
            spec.commandLine().getErr().println("tandem simulate: stopped after " + Simulation.MAX_ROUNDS
                    + " rounds that all granted something");
        }
        if (plot != null) {
            writePlot(name, simulation);
            spec.commandLine().getOut().println("plot written to " + plot);
        }
        spec.commandLine().getOut().flush();
        return 0;
    }

    private void writePlot(String name, Simulation simulation) throws IOException {
        Resources total = simulation.allocator().clusterScalars();
        List<String> resources = new ArrayList<>(total.scalars().entrySet().stream()
                .filter(e -> e.getValue() > 0).map(Map.Entry::getKey).toList());
        Map<String, Map<String, Double>> segments = new LinkedHashMap<>();
        for (Simulation.Outcome o : simulation.outcomes()) {
            boolean manyRoles = simulation.scenario().frameworks().stream()
                    .filter(f -> f.id().equals(o.member().framework().value())).anyMatch(f -> f.roles().size() > 1);
            String label = o.member().framework().value() + (manyRoles ? " (role " + o.member().role() + ")" : "");
            Map<String, Double> percents = new LinkedHashMap<>();
            resources.forEach(r -> percents.put(r, 100 * o.held().scalar(r) / total.scalar(r)));
            segments.put(label, percents);
        }
        try {
            SimulationPlot.write(plot, "Final allocation: " + name + " (" + simulation.scenario().allocator() + ")",
                    resources, segments);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
