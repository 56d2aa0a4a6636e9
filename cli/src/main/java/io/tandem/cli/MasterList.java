package io.tandem.cli;

import java.util.Arrays;
import java.util.List;

/** {@code --master a,b,c}: the framework verbs' one way to read a list of master URLs. */
final class MasterList {
    private MasterList() {}

    /** The comma-separated URLs, trimmed, blanks dropped. */
    static List<String> split(String masters) {
        return masters == null ? List.of()
                : Arrays.stream(masters.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
}
