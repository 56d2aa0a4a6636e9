package io.tandem.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * A plain text table for terminals: a title, a header row, and columns padded to their widest
 * cell with two spaces between them. An empty table prints its title and {@code (none)}.
 */
final class StateTable {
    private final String title;
    private final List<String> headers;
    private final List<List<String>> rows = new ArrayList<>();

    StateTable(String title, String... headers) {
        this.title = title;
        this.headers = List.of(headers);
    }

    StateTable row(String... cells) {
        if (cells.length != headers.size()) {
            throw new IllegalArgumentException("row of " + cells.length + " cells in a table of " + headers.size());
        }
        rows.add(List.of(cells));
        return this;
    }

    String render() {
        StringBuilder text = new StringBuilder(title).append('\n');
        if (rows.isEmpty()) {
            return text.append("(none)\n").toString();
        }
        int[] widths = new int[headers.size()];
        for (List<String> row : allRows()) {
            for (int c = 0; c < widths.length; c++) {
                widths[c] = Math.max(widths[c], row.get(c).length());
            }
        }
        for (List<String> row : allRows()) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < widths.length; c++) {
                line.append(c == widths.length - 1 ? row.get(c) : pad(row.get(c), widths[c] + 2));
            }
            text.append(line.toString().stripTrailing()).append('\n');
        }
        return text.toString();
    }

    private List<List<String>> allRows() {
        List<List<String>> all = new ArrayList<>();
        all.add(headers);
        all.addAll(rows);
        return all;
    }

    private static String pad(String cell, int width) {
        return cell + " ".repeat(width - cell.length());
    }
}
