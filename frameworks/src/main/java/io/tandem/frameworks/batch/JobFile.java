package io.tandem.frameworks.batch;

import io.tandem.frameworks.common.Constraints;
import io.tandem.frameworks.common.DurationText;
import io.tandem.sdk.ResourceNeeds;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A job file as written, bound by Jackson (unknown keys and wrong types refused there). {@link #check()}
 * then checks every value and throws the first bad one as a {@link BadField} with its path
 * ({@code stages[1].resources.cpus}), which {@link JobReader} turns into a line; {@link #toJob()}
 * converts the checked values.
 */
record JobFile(String name, Integer maxFailures, List<StageFile> stages) {
    static final int DEFAULT_MAX_FAILURES = 10;
    /** Tasks per stage: a job is kept in memory, task by task. */
    static final int MAX_COUNT = 10_000;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]*");

    /** Checks every field; the first bad one is thrown as a {@link BadField} with its path. */
    void check() {
        requireName("name", name);
        if (maxFailures != null && maxFailures < 1) {
            throw new BadField("max_failures", "must be at least 1, got " + maxFailures);
        }
        if (stages == null || stages.isEmpty()) {
            throw new BadField("stages", "a job needs at least one stage");
        }
        for (int i = 0; i < stages.size(); i++) {
            if (stages.get(i) == null) {
                throw new BadField("stages[" + i + "]", "is empty");
            }
            stages.get(i).check("stages[" + i + "].");
        }
        checkGraph(stages);
    }

    Job toJob() {
        return new Job(name, maxFailures == null ? DEFAULT_MAX_FAILURES : maxFailures,
                stages.stream().map(StageFile::toStage).toList());
    }

    static void requireName(String field, String value) {
        if (value == null || !NAME.matcher(value).matches()) {
            throw new BadField(field, (value == null ? "is required" : "is '" + value + "'")
                    + "; a name is letters, digits, '-' and '_'");
        }
    }

    /** A field that is missing or wrong: its path in the file ({@code stages[1].count}) and what is wrong. */
    static final class BadField extends IllegalArgumentException {
        final String path;

        BadField(String path, String problem) {
            super(path + " " + problem);
            this.path = path;
        }
    }

    /** Stage names are unique, dependencies name stages, and following them never comes back. */
    private static void checkGraph(List<StageFile> stages) {
        Map<String, StageFile> byName = new LinkedHashMap<>();
        for (int i = 0; i < stages.size(); i++) {
            StageFile s = stages.get(i);
            if (byName.put(s.name(), s) != null) {
                throw new BadField("stages[" + i + "].name", "repeats '" + s.name() + "'; stage names must differ");
            }
        }
        for (int i = 0; i < stages.size(); i++) {
            for (String dep : stages.get(i).dependsOn()) {
                if (!byName.containsKey(dep)) {
                    throw new BadField("stages[" + i + "].depends_on", "names '" + dep
                            + "', which is no stage; stages: " + byName.keySet());
                }
            }
        }
        List<String> cycle = findCycle(byName);
        if (!cycle.isEmpty()) {
            int at = new ArrayList<>(byName.keySet()).indexOf(cycle.getFirst());
            throw new BadField("stages[" + at + "].depends_on", "forms a cycle: " + String.join(" -> ", cycle));
        }
    }

    /** A cycle as the stage names along it (first repeated last), or empty. Depth-first with colours. */
    private static List<String> findCycle(Map<String, StageFile> byName) {
        Map<String, Integer> colour = new HashMap<>();   // absent: unseen, 1: on the path, 2: done
        for (String start : byName.keySet()) {
            List<String> path = new ArrayList<>();
            List<String> cycle = visit(start, byName, colour, path);
            if (!cycle.isEmpty()) {
                return cycle;
            }
        }
        return List.of();
    }

    private static List<String> visit(String stage, Map<String, StageFile> byName, Map<String, Integer> colour,
                                      List<String> path) {
        Integer c = colour.get(stage);
        if (c != null && c == 2) {
            return List.of();
        }
        path.add(stage);
        if (c != null) {
            return new ArrayList<>(path.subList(path.indexOf(stage), path.size()));
        }
        colour.put(stage, 1);
        for (String dep : byName.get(stage).dependsOn()) {
            List<String> cycle = visit(dep, byName, colour, path);
            if (!cycle.isEmpty()) {
                return cycle;
            }
        }
        colour.put(stage, 2);
        path.removeLast();
        return List.of();
    }

    /** One stage as written. */
    record StageFile(String name, String command, Integer count, ResourcesFile resources, List<String> dependsOn,
                     Integer retries, String backoff, String timeout, List<String> constraints,
                     Map<String, String> env) {
        StageFile {
            dependsOn = dependsOn == null ? List.of() : dependsOn;
            env = env == null ? Map.of() : env;
        }

        void check(String at) {
            requireName(at + "name", name);
            if (command == null || command.isBlank()) {
                throw new BadField(at + "command", "is required (it runs through sh -c)");
            }
            if (count != null && (count < 1 || count > MAX_COUNT)) {
                throw new BadField(at + "count", "must be between 1 and " + MAX_COUNT + ", got " + count);
            }
            if (resources == null) {
                throw new BadField(at + "resources", "is required, e.g. {cpus: 0.5, mem: 128}");
            }
            resources.check(at + "resources.");
            if (retries != null && retries < 0) {
                throw new BadField(at + "retries", "must not be negative, got " + retries);
            }
            field(at + "backoff", () -> backoff == null ? null : DurationText.parse(backoff));
            field(at + "timeout", () -> timeout == null ? null : DurationText.parsePositive(timeout));
            for (int i = 0; constraints != null && i < constraints.size(); i++) {
                String text = constraints.get(i);
                field(at + "constraints[" + i + "]", () -> io.tandem.frameworks.common.Constraint.parse(text));
            }
            if (new HashSet<>(dependsOn).size() != dependsOn.size() || dependsOn.contains(name)) {
                throw new BadField(at + "depends_on", "lists a stage twice or the stage itself: " + dependsOn);
            }
        }

        Stage toStage() {
            return new Stage(name, command, count == null ? 1 : count, resources.toNeeds(), dependsOn,
                    retries == null ? 0 : retries,
                    backoff == null ? java.time.Duration.ofSeconds(1) : DurationText.parse(backoff),
                    timeout == null ? null : DurationText.parse(timeout),
                    Constraints.parse(constraints), env);
        }

        private static void field(String path, java.util.function.Supplier<Object> check) {
            try {
                check.get();
            } catch (IllegalArgumentException e) {
                throw new BadField(path, "is wrong: " + e.getMessage());
            }
        }
    }

    /** A task's resources as written: cores and MB. */
    record ResourcesFile(Double cpus, Double mem, Double disk) {
        void check(String at) {
            positive(at + "cpus", cpus, true);
            positive(at + "mem", mem, true);
            positive(at + "disk", disk, false);
        }

        ResourceNeeds toNeeds() {
            return new ResourceNeeds(cpus, mem, disk == null ? 0 : disk, 0);
        }

        private static void positive(String field, Double value, boolean required) {
            if (value == null) {
                if (required) {
                    throw new BadField(field, "is required");
                }
                return;
            }
            if (!(value > 0) || value.isInfinite()) {
                throw new BadField(field, "must be a positive number, got " + value);
            }
        }
    }
}
