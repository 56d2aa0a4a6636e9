package io.tandem.frameworks.service;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.tandem.frameworks.common.Constraint;
import io.tandem.frameworks.common.Constraints;
import io.tandem.frameworks.common.DurationText;
import io.tandem.frameworks.common.FieldLines;
import io.tandem.frameworks.service.AppSpec.HealthCheckSpec;
import io.tandem.sdk.ResourceNeeds;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Reads an app file (YAML, or JSON, which is YAML) strictly: unknown keys, wrong types, missing or
 * impossible values are errors naming the field and its line ({@link AppSpecException}). Stateless.
 */
public final class AppSpecReader {
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?");
    static final int MAX_INSTANCES = 1000;
    private static final int MAX_PORTS = 16;
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final String origin;
    private final FieldLines lines;

    private AppSpecReader(String origin, FieldLines lines) {
        this.origin = origin;
        this.lines = lines;
    }

    /**
     * The app described by {@code text}.
     *
     * @param origin names the text in errors, e.g. the file name
     * @throws AppSpecException naming the field (and line) at fault
     */
    public static AppSpec read(String text, String origin) {
        if (text == null || text.isBlank()) {
            throw new AppSpecException(origin, "", 0, "empty app file");
        }
        AppSpecReader reader = new AppSpecReader(origin, FieldLines.of(text));
        AppFile file;
        try {
            file = YAML.readValue(text, AppFile.class);
        } catch (UnrecognizedPropertyException e) {
            String field = path(e).isEmpty() ? e.getPropertyName() : path(e);
            throw reader.fail(field, line(e.getLocation()), "unknown field (known: " + String.join(", ",
                    new TreeSet<>(e.getKnownPropertyIds().stream().map(Object::toString).toList())) + ")");
        } catch (MismatchedInputException e) {
            throw reader.fail(path(e), line(e.getLocation()), "wrong type: expected " + expected(e.getTargetType()));
        } catch (JsonProcessingException e) {
            throw new AppSpecException(origin, "", line(e.getLocation()), "not valid YAML: " + e.getOriginalMessage());
        }
        if (file == null) {
            throw new AppSpecException(origin, "", 0, "empty app file");
        }
        return reader.validate(file, text);
    }

    private static String expected(Class<?> type) {
        if (type == null) {
            return "another type";
        }
        if (type == Double.class || type == double.class) {
            return "a number";
        }
        if (type == Integer.class || type == int.class) {
            return "a whole number";
        }
        if (type == Boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "text";
        }
        return java.util.List.class.isAssignableFrom(type) ? "a list" : "a mapping of keys to values";
    }


    private AppSpec validate(AppFile f, String text) {
        String name = require("name", f.name());
        check("name", NAME.matcher(name).matches(),
                "'" + name + "' must be 1-40 lowercase letters, digits and '-', starting and ending with a letter or digit");
        int instances = f.instances() == null ? 1 : f.instances();
        check("instances", instances >= 0 && instances <= MAX_INSTANCES, "must be 0.." + MAX_INSTANCES + ", got " + instances);
        String command = require("command", f.command());
        check("command", !command.isBlank(), "must not be blank");
        ResourceNeeds needs = needs(require("resources", f.resources()));
        Optional<HealthCheckSpec> health = f.healthCheck() == null ? Optional.empty()
                : Optional.of(health(f.healthCheck(), needs.ports()));
        List<Constraint> constraints = new ArrayList<>();
        List<String> written = f.constraints() == null ? List.of() : f.constraints();
        for (int i = 0; i < written.size(); i++) {
            constraints.add(constraint("constraints[" + i + "]", written.get(i)));
        }
        AppFile.Backoff backoff = f.restartBackoff() == null ? new AppFile.Backoff(null, null) : f.restartBackoff();
        Duration initial = positive("restart_backoff.initial", backoff.initial(), "1s");
        Duration max = positive("restart_backoff.max", backoff.max(), "60s");
        check("restart_backoff.max", max.compareTo(initial) >= 0, "must not be less than restart_backoff.initial");
        Duration killGrace = positive("kill_grace_period", f.killGracePeriod(), "5s");
        int rollbackAfter = f.rollbackAfter() == null ? 2 : f.rollbackAfter();
        check("rollback_after", rollbackAfter >= 1, "must be at least 1, got " + rollbackAfter);
        Duration placementTimeout = positive("placement_timeout", f.placementTimeout(), "60s");
        Map<String, String> env = f.env() == null ? Map.of() : f.env();
        env.forEach((k, v) -> {
            check("env." + k, k.matches("[A-Za-z_][A-Za-z0-9_]*"), "not a valid variable name");
            check("env." + k, v != null, "needs a value");
            check("env." + k, !k.matches("PORT\\d*|HOST"), "is set by the scheduler");
        });
        return new AppSpec(name, instances, command, needs, env, health, new Constraints(constraints), initial, max, killGrace,
                rollbackAfter, placementTimeout, text);
    }

    private ResourceNeeds needs(AppFile.Resources r) {
        double cpus = require("resources.cpus", r.cpus());
        check("resources.cpus", Double.isFinite(cpus) && cpus > 0, "must be a positive number, got " + cpus);
        double mem = require("resources.mem", r.mem());
        check("resources.mem", Double.isFinite(mem) && mem > 0, "must be a positive number of MB, got " + mem);
        double disk = r.disk() == null ? 0 : r.disk();
        check("resources.disk", Double.isFinite(disk) && disk >= 0, "must be zero or more MB, got " + disk);
        int ports = r.ports() == null ? 0 : r.ports();
        check("resources.ports", ports >= 0 && ports <= MAX_PORTS, "must be 0.." + MAX_PORTS + ", got " + ports);
        return new ResourceNeeds(cpus, mem, disk, ports);
    }

    private HealthCheckSpec health(AppFile.Health h, int ports) {
        String type = require("health_check.type", h.type());
        check("health_check.type", type.equals("http") || type.equals("tcp") || type.equals("command"),
                "must be http, tcp or command, got '" + type + "'");
        HealthCheckSpec.Kind kind = HealthCheckSpec.Kind.valueOf(type.toUpperCase(java.util.Locale.ROOT));
        boolean command = kind == HealthCheckSpec.Kind.COMMAND;
        check("health_check.command", command == (h.command() != null), command
                ? "is required for a command check (run through sh -c next to the task; exit 0 is healthy)"
                : "only for command checks");
        check("health_check.command", !command || !h.command().isBlank(), "must not be blank");
        check("health_check.port_index", !command || h.portIndex() == null, "only for http and tcp checks");
        int portIndex = h.portIndex() == null ? 0 : h.portIndex();
        check("health_check.port_index", command || portIndex >= 0 && portIndex < ports, "is " + portIndex
                + " but the app asks for " + ports + " port(s) (resources.ports); a checked instance needs a port");
        check("health_check.path", kind == HealthCheckSpec.Kind.HTTP || h.path() == null, "only for http checks");
        String path = h.path() == null ? "/" : h.path();
        check("health_check.path", path.startsWith("/"), "must start with '/', got '" + path + "'");
        Duration grace = duration("health_check.grace_period", h.gracePeriod(), "30s");
        Duration interval = positive("health_check.interval", h.interval(), "5s");
        Duration timeout = positive("health_check.timeout", h.timeout(), "2s");
        int failures = h.maxConsecutiveFailures() == null ? 3 : h.maxConsecutiveFailures();
        check("health_check.max_consecutive_failures", failures >= 1, "must be at least 1, got " + failures);
        return new HealthCheckSpec(kind, portIndex, path, grace, interval, timeout, failures, h.command());
    }

    /** One constraint in the shared syntax ({@link Constraint#parse}: {@code hostname:UNIQUE}, {@code rack:IS:r1}, {@code zone:MAX_PER:2}). */
    private Constraint constraint(String at, String text) {
        try {
            return Constraint.parse(text);
        } catch (IllegalArgumentException e) {
            throw fail(at, e.getMessage());
        }
    }

    private Duration positive(String field, String text, String fallback) {
        Duration d = duration(field, text, fallback);
        check(field, d.isPositive(), "must be more than zero");
        return d;
    }

    /** A duration written with its unit ({@link DurationText}: {@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h}). */
    private Duration duration(String field, String text, String fallback) {
        try {
            return DurationText.parse(text == null ? fallback : text);
        } catch (IllegalArgumentException e) {
            throw fail(field, e.getMessage());
        }
    }

    private <T> T require(String field, T value) {
        if (value == null) {
            throw fail(field, "is required");
        }
        return value;
    }

    private void check(String field, boolean ok, String problem) {
        if (!ok) {
            throw fail(field, problem);
        }
    }

    private AppSpecException fail(String field, String problem) {
        return fail(field, 0, problem);
    }

    /** An error at {@code field}, on the field's own line when the file has it, else its parent's, else {@code fallback}. */
    private AppSpecException fail(String field, int fallback, String problem) {
        return new AppSpecException(origin, field, lines.lineOf(field).orElse(fallback), problem);
    }

    private static String path(JsonMappingException e) {
        StringBuilder out = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                out.append(out.isEmpty() ? "" : ".").append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                out.append('[').append(ref.getIndex()).append(']');
            }
        }
        return out.toString();
    }

    private static int line(JsonLocation location) {
        return location == null ? 0 : location.getLineNr();
    }
}
