package io.tandem.frameworks.batch;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.tandem.frameworks.common.FieldLines;
import java.util.stream.Collectors;

/**
 * Reads a job file (YAML, or JSON, which is YAML too) strictly: unknown keys, wrong types and bad
 * values are refused with the field's path and the line, e.g.
 * {@code job.yaml line 7: stages[1].comand: unknown field; known: backoff, command, ...}.
 *
 * <pre>
 * name: etl
 * max_failures: 5                 # the job fails at the 5th failed attempt (default 10)
 * stages:
 *   - name: extract
 *     command: ./extract.sh $TANDEM_TASK_INDEX
 *     count: 4
 *     resources: {cpus: 0.5, mem: 256}
 *     retries: 2                 # each task tried up to 3 times
 *     backoff: 2s                # 2s, then 4s
 *     timeout: 10m
 *     constraints: ["hostname:UNIQUE"]
 *   - name: load
 *     depends_on: [extract]
 *     command: ./load.sh
 *     resources: {cpus: 1, mem: 512}
 * </pre>
 */
public final class JobReader {
    // Keys are snake_case, as in app files (max_failures, depends_on): one convention for both formats.
    private static final YAMLMapper MAPPER = YAMLMapper.builder()
            .propertyNamingStrategy(com.fasterxml.jackson.databind.PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .build();

    private JobReader() {}

    /**
     * @param source what to call the text in messages, e.g. the file name
     * @throws IllegalArgumentException with the source, line, field and what is wrong
     */
    public static Job read(String yaml, String source) {
        if (yaml == null || yaml.isBlank()) {
            throw new IllegalArgumentException(source + ": the job file is empty");
        }
        try {
            JobFile file = MAPPER.readValue(yaml, JobFile.class);
            if (file == null) {
                throw new IllegalArgumentException(source + ": the job file is empty");
            }
            file.check();
            return file.toJob();
        } catch (JacksonException e) {
            throw new IllegalArgumentException(describe(e, source, FieldLines.of(yaml)), e);
        } catch (JobFile.BadField e) {
            String line = FieldLines.of(yaml).lineOf(e.path).stream().mapToObj(n -> " line " + n).findFirst().orElse("");
            throw new IllegalArgumentException(source + line + ": " + e.getMessage(), e);
        }
    }

    /**
     * Jackson's error with the line of the field it names (Jackson's own location is where it noticed,
     * which for records is the end of the object), else Jackson's location.
     */
    static String describe(JacksonException e, String source, FieldLines lines) {
        String path = e instanceof JsonMappingException m ? path(m) : "";
        JsonLocation at = e.getLocation();
        int line = lines.lineOf(path).orElse(at != null ? at.getLineNr() : -1);
        String where = source + (line > 0 ? " line " + line : "") + ": ";
        if (e instanceof UnrecognizedPropertyException u) {
            String known = u.getKnownPropertyIds().stream().map(Object::toString).sorted()
                    .collect(Collectors.joining(", "));
            return where + path + ": unknown field; known: " + known;
        }
        String message = e.getOriginalMessage().lines().findFirst().orElse("malformed");
        return where + (path.isEmpty() ? "" : path + ": ") + message;
    }

    /** {@code stages[1].resources.cpus} from Jackson's reference chain. */
    private static String path(JsonMappingException e) {
        StringBuilder out = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                out.append(out.isEmpty() ? "" : ".").append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                out.append('[').append(r.getIndex()).append(']');
            }
        }
        return out.toString();
    }
}
