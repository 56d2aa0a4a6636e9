package io.tandem.allocator.sorter;

import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/** The fair-share policies selectable by name (e.g. {@code tandem master --allocator mmf}). */
public final class Sorters {
    private static final Map<String, Supplier<Sorter>> KNOWN = new TreeMap<>(Map.of(
            DrfSorter.NAME, DrfSorter::new,
            MaxMinSorter.NAME, MaxMinSorter::new));

    private Sorters() {}

    /** @throws IllegalArgumentException naming the known policies when {@code name} is not one */
    public static Sorter byName(String name) {
        Supplier<Sorter> factory = KNOWN.get(name);
        if (factory == null) {
            throw new IllegalArgumentException("unknown sorter '" + name + "'; known sorters: "
                    + String.join(", ", KNOWN.keySet()));
        }
        return factory.get();
    }

    /**
     * As {@link #byName(String)}, with the resource that max-min fairness shares ({@code --fair-share-resource});
     * DRF looks at every resource and ignores it.
     */
    public static Sorter byName(String name, String fairShareResource) {
        return MaxMinSorter.NAME.equals(name) ? new MaxMinSorter(fairShareResource) : byName(name);
    }

    public static Set<String> names() {
        return Collections.unmodifiableSet(KNOWN.keySet());
    }
}
