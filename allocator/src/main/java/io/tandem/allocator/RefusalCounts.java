package io.tandem.allocator;

import io.tandem.allocator.Refusal.Reason;
import io.tandem.model.FrameworkId;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Tallies, during one round, on how many agents each (framework, role) was passed over and why. */
final class RefusalCounts {
    private record Key(FrameworkId framework, String role, Reason reason) {}

    private static final Comparator<Key> ORDER = Comparator.comparing(Key::framework)
            .thenComparing(Key::role).thenComparing(Key::reason);

    private final Map<Key, Integer> counts = new TreeMap<>(ORDER);

    void add(FrameworkId framework, String role, Reason reason, int agents) {
        if (agents > 0) {
            counts.merge(new Key(framework, role, reason), agents, Integer::sum);
        }
    }

    List<Refusal> list() {
        return counts.entrySet().stream()
                .map(e -> new Refusal(e.getKey().framework(), e.getKey().role(), e.getKey().reason(), e.getValue()))
                .toList();
    }
}
