package io.tandem.frameworks.common;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The line where each field of a YAML document is written, by path ({@code stages[1].resources.cpus},
 * {@code constraints[0]}), so that a value found wrong after binding can still be reported with its
 * line. The one line index of the frameworks' files (job and app files).
 */
public final class FieldLines {
    private final Map<String, Integer> lines;

    private FieldLines(Map<String, Integer> lines) {
        this.lines = lines;
    }

    /** Indexes {@code yaml}; a document Jackson cannot read yields an empty index. */
    public static FieldLines of(String yaml) {
        Map<String, Integer> lines = new HashMap<>();
        Deque<String> containers = new ArrayDeque<>();   // path of each open object/array
        Deque<Integer> indexes = new ArrayDeque<>();     // next element index of each open array, -1 for objects
        String field = null;
        try (JsonParser p = new YAMLFactory().createParser(yaml)) {
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                int line = p.currentTokenLocation().getLineNr();
                if (t == JsonToken.FIELD_NAME) {
                    field = join(containers.isEmpty() ? "" : containers.peek(), p.currentName());
                    lines.putIfAbsent(field, line);
                    continue;
                }
                String here = elementPath(containers, indexes, field);
                if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                    if (here != null) {
                        lines.putIfAbsent(here, line);
                    }
                    containers.push(here == null ? "" : here);
                    indexes.push(t == JsonToken.START_ARRAY ? 0 : -1);
                } else if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                    containers.pop();
                    indexes.pop();
                } else if (here != null) {
                    lines.putIfAbsent(here, line);
                }
                field = null;
            }
        } catch (IOException e) {
            return new FieldLines(Map.of());
        }
        return new FieldLines(lines);
    }

    /** The line of {@code path}, or of the nearest enclosing field that has one. */
    public OptionalInt lineOf(String path) {
        for (String p = path; !p.isEmpty(); p = parent(p)) {
            Integer line = lines.get(p);
            if (line != null) {
                return OptionalInt.of(line);
            }
        }
        return OptionalInt.empty();
    }

    /** The path of the value the parser is at: the field just named, or the next element of the open array. */
    private static String elementPath(Deque<String> containers, Deque<Integer> indexes, String field) {
        if (field != null) {
            return field;
        }
        if (indexes.isEmpty() || indexes.peek() < 0) {
            return null;
        }
        int index = indexes.pop();
        indexes.push(index + 1);
        return containers.peek() + "[" + index + "]";
    }

    private static String join(String parent, String name) {
        return parent.isEmpty() ? name : parent + "." + name;
    }

    private static String parent(String path) {
        int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
        return cut <= 0 ? "" : path.substring(0, cut);
    }
}
