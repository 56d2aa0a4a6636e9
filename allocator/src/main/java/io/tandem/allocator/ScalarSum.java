package io.tandem.allocator;

import io.tandem.model.Resource;
import io.tandem.model.Resources;
import io.tandem.model.Value;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A running sum of scalar resources per (name, role), in thousandths (exact), changed in place. Every grant
 * and every recover updates several sums, and only a few are read before the next change, so the sum is
 * built as {@link Resources} only when read after a change. Non-scalar resources are ignored; with
 * {@code unreservedOnly}, so are reserved ones. Not thread-safe; owned by {@link Allocations}.
 */
final class ScalarSum {
    private final boolean unreservedOnly;
    /** Sorted by (name, role) as {@link Resources} sorts them; parallel to {@link #amounts}. */
    private String[] names = new String[0];
    private String[] roles = new String[0];
    private long[] amounts = new long[0];
    private Resources built = Resources.empty();
    private boolean stale;

    ScalarSum(boolean unreservedOnly) {
        this.unreservedOnly = unreservedOnly;
    }

    void add(Resources resources) {
        change(resources, 1);
    }

    /** @throws IllegalStateException if that would leave less than nothing: the caller's books are wrong */
    void subtract(Resources resources) {
        change(resources, -1);
    }

    private void change(Resources resources, int sign) {
        List<Resource> entries = resources.list();
        for (int k = 0; k < entries.size(); k++) {   // indexed: called for every grant, no iterator
            Resource r = entries.get(k);
            if (r.value() instanceof Value.Scalar s && !(unreservedOnly && r.isReserved())) {
                int i = indexOf(r.name(), r.role());
                long sum = amounts[i] + sign * s.thousandths();
                if (sum < 0) {
                    throw new IllegalStateException("cannot take " + r + " from a sum holding " + resources());
                }
                amounts[i] = sum;
                stale = true;
            }
        }
    }

    /** The position of (name, role), added in sorted place if new. */
    private int indexOf(String name, String role) {
        int at = 0;
        for (; at < names.length; at++) {
            int byName = names[at] == name ? 0 : names[at].compareTo(name);
            int order = byName != 0 ? byName : roles[at] == role ? 0 : roles[at].compareTo(role);
            if (order == 0) {
                return at;
            }
            if (order > 0) {
                break;
            }
        }
        names = insert(names, at, name);
        roles = insert(roles, at, role);
        long[] grown = new long[amounts.length + 1];
        System.arraycopy(amounts, 0, grown, 0, at);
        System.arraycopy(amounts, at, grown, at + 1, amounts.length - at);
        amounts = grown;
        return at;
    }

    private static String[] insert(String[] array, int at, String value) {
        String[] grown = Arrays.copyOf(array, array.length + 1);
        System.arraycopy(array, at, grown, at + 1, array.length - at);
        grown[at] = value;
        return grown;
    }

    boolean isEmpty() {
        for (long amount : amounts) {
            if (amount != 0) {
                return false;
            }
        }
        return true;
    }

    Resources resources() {
        if (stale) {
            List<Resource> out = new ArrayList<>(amounts.length);
            for (int i = 0; i < amounts.length; i++) {
                if (amounts[i] != 0) {
                    out.add(new Resource(names[i], roles[i], new Value.Scalar(amounts[i])));
                }
            }
            built = Resources.of(out);   // already sorted: taken as it is
            stale = false;
        }
        return built;
    }
}
