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
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.error.MarkedYAMLException;

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
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("no scenario file " + file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read scenario " + file + ": " + e.getMessage());
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
            Scenario scenario = isEmpty(text) ? null : MAPPER.readValue(text, Scenario.class);
            if (scenario == null) {
                throw new IllegalArgumentException(name + ": the scenario is empty");
            }
            return scenario;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(describe(name, text, e));
        }
    }

    /** Nothing but comments and blank lines, which Jackson would call "no content". */
    private static boolean isEmpty(String text) throws JsonProcessingException {
        try (JsonParser parser = YAML.createParser(text)) {
            return parser.nextToken() == null;
        } catch (JsonProcessingException e) {
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException(e);   // reading a String does no I/O
        }
    }

    private static String describe(String name, String text, JsonProcessingException e) {
        MarkedYAMLException yaml = yamlProblem(e);
        if (yaml != null) {
            return name + " line " + (yaml.getProblemMark().getLine() + 1) + ": not valid YAML: " + yaml.getProblem();
        }
        if (!(e instanceof JsonMappingException mapping)) {
            return name + " line " + line(e) + ": " + e.getOriginalMessage();
        }
        String pointer = pointer(mapping);
        // Jackson's YAML locations can point past the key; the index of the text knows where the key is.
        Integer line = lines(text).get(pointer);
        String where = name + " line " + (line == null ? line(e) : line) + " (" + readable(pointer) + "): ";
        if (e instanceof UnrecognizedPropertyException unknown) {
            return where + "unknown key '" + unknown.getPropertyName() + "'; known keys here: "
                    + unknown.getKnownPropertyIds().stream().map(String::valueOf).sorted()
                    .collect(Collectors.joining(", "));
        }
        if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            return where + "expected " + expected(mismatch.getTargetType()) + ", got "
                    + e.getOriginalMessage().replaceAll("(?s).* from ([^:]*).*", "$1");
        }
        return where + e.getOriginalMessage().lines().findFirst().orElse("");
    }

    private static MarkedYAMLException yamlProblem(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof MarkedYAMLException marked && marked.getProblemMark() != null) {
                return marked;
            }
        }
        return null;
    }

    private static int line(JsonProcessingException e) {
        return e.getLocation() == null ? 0 : e.getLocation().getLineNr();
    }

    /** The JSON pointer of where binding failed, e.g. {@code /agents/0/colour}. */
    private static String pointer(JsonMappingException e) {
        StringBuilder pointer = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                pointer.append('/').append(ref.getFieldName().replace("~", "~0").replace("/", "~1"));
            } else if (ref.getIndex() >= 0) {
                pointer.append('/').append(ref.getIndex());
            }
        }
        return pointer.toString();
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
