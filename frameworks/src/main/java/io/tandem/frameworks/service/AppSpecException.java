package io.tandem.frameworks.service;

/**
 * An app file that cannot be deployed. The message names the file, the line when known, and the
 * field, e.g. {@code app.yaml line 7: health_check.intervl: unknown field (known: interval, path, ...)}.
 */
public final class AppSpecException extends IllegalArgumentException {
    private final String field;
    private final int line;

    AppSpecException(String origin, String field, int line, String problem) {
        super(origin + (line > 0 ? " line " + line : "") + ": " + (field.isEmpty() ? "" : field + ": ") + problem);
        this.field = field;
        this.line = line;
    }

    /** The field in error as a path ({@code health_check.interval}, {@code constraints[1].max_per}); empty for the whole file. */
    public String field() {
        return field;
    }

    /** The 1-based line of the field, or 0 when unknown. */
    public int line() {
        return line;
    }
}
