package io.tandem.cli;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads a scenario file: YAML bound to {@link Scenario} (unknown keys refused), then every value checked by
 * {@link ScenarioCheck}. Any problem becomes an {@link IllegalArgumentException} whose message has one line
 * per problem, each naming the file, the line, the key's path and the bad value, e.g.
 * {@code drf.yaml line 9 (roles[0].weight): a weight must be a positive number, got 0}.
 */
final class ScenarioReader {
    private static final YAMLFactory YAML = new YAMLFactory();
    private static final ObjectMapper MAPPER = new ObjectMapper(YAML)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);

    private ScenarioReader() {}

    /** @throws IllegalArgumentException if the file cannot be read or holds anything wrong */
    static Scenario read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read scenario " + file + ": " + e);
        }
        return parse(String.valueOf(file.getFileName()), text);
    }

    /** @param name the file's name, used in messages */
    static Scenario parse(String name, String text) {
        Scenario scenario = bind(name, text);
        List<ScenarioCheck.Problem> problems = ScenarioCheck.problems(scenario);
        if (!problems.isEmpty()) {
            Map<String, Integer> lines = lines(text);
            throw new IllegalArgumentException(problems.stream()
                    .map(p -> name + " line " + lineOf(p.pointer(), lines) + " (" + readable(p.pointer()) + "): "
                            + p.message())
                    .collect(Collectors.joining("\n")));
        }
        return scenario;
    }

    private static Scenario bind(String name, String text) {
        try {
            Scenario scenario = MAPPER.readValue(text, Scenario.class);
            if (scenario == null) {
                throw new IllegalArgumentException(name + ": the scenario is empty");
            }
            return scenario;
        } catch (UnrecognizedPropertyException e) {
            throw new IllegalArgumentException(where(name, e) + "unknown key '" + e.getPropertyName()
                    + "'; known keys here: " + e.getKnownPropertyIds().stream().map(String::valueOf).sorted()
                    .collect(Collectors.joining(", ")));
        } catch (MismatchedInputException e) {
            throw new IllegalArgumentException(where(name, e) + "expected " + expected(e.getTargetType())
                    + ", got " + e.getOriginalMessage().replaceAll("(?s).* from ([^:]*).*", "$1"));
        } catch (JsonMappingException e) {
            throw new IllegalArgumentException(where(name, e) + e.getOriginalMessage());
        } catch (JsonProcessingException e) {   // not YAML at all
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw new IllegalArgumentException(name + " line " + line + ": not valid YAML: "
                    + e.getOriginalMessage().lines().findFirst().orElse(""));
        }
    }

    private static String where(String name, JsonMappingException e) {
        int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return name + " line " + line + (path.isEmpty() ? "" : " (" + path + ")") + ": ";
    }

    private static String expected(Class<?> type) {
        if (type == null) {
            return "another kind of value";
        }
        if (type == Integer.class || type == int.class) {
            return "a whole number";
        }
        if (type == Double.class || type == double.class) {
            return "a number";
        }
        if (type == String.class) {
            return "a text value";
        }
        return List.class.isAssignableFrom(type) ? "a list" : "a mapping of keys to values";
    }

    /**
     * JSON pointer (e.g. {@code /frameworks/1/roles/0}) -> the line its value (or key) starts on. Jackson's
     * bound objects forget where they came from, so problems found after binding look their line up here.
     */
    static Map<String, Integer> lines(String text) {
        Map<String, Integer> lines = new HashMap<>();
        try (JsonParser parser = YAML.createParser(text)) {
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                JsonStreamContext context = parser.getParsingContext();
                if (token.isStructStart() && context.getParent() != null) {
                    context = context.getParent();   // a container's path is that of the slot it fills
                }
                lines.putIfAbsent(context.pathAsPointer().toString(), parser.currentTokenLocation().getLineNr());
            }
        } catch (IOException e) {
            // bind() has parsed the same text already; an index cut short still places what it saw
        }
        return lines;
    }

    private static int lineOf(String pointer, Map<String, Integer> lines) {
        for (String p = pointer; ; p = p.substring(0, p.lastIndexOf('/'))) {
            Integer line = lines.get(p);
            if (line != null) {
                return line;
            }
            if (p.isEmpty()) {
                return 1;
            }
        }
    }

    /** {@code /frameworks/1/roles/0} -> {@code frameworks[1].roles[0]}. */
    static String readable(String pointer) {
        StringBuilder out = new StringBuilder();
        for (String segment : pointer.substring(pointer.isEmpty() ? 0 : 1).split("/")) {
            if (segment.matches("\\d+")) {
                out.append('[').append(segment).append(']');
            } else if (!segment.isEmpty()) {
                out.append(out.isEmpty() ? "" : ".").append(segment.replace("~1", "/").replace("~0", "~"));
            }
        }
        return out.isEmpty() ? "scenario" : out.toString();
    }
}
