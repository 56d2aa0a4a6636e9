package io.tandem.allocator.sorter;

import io.tandem.model.Resource;
import io.tandem.model.Resources;
import io.tandem.model.Value;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Dominant Resource Fairness (Ghodsi et al., NSDI 2011), as in Mesos's {@code sorter/drf}:
 *
 * <pre>dominantShare(c) = max_r (allocated_r(c) / total_r) / weight(c)</pre>
 *
 * over the scalar resources r with a positive cluster total. The lowest share goes first, so the client
 * furthest below its fair share is offered next; ties go to the smaller name.
 */
public final class DrfSorter implements Sorter {
    public static final String NAME = "drf";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Client> sort(Collection<Client> clients, Resources total) {
        Map<String, Double> totals = total.scalars();
        Comparator<Client> byShare = Comparator.comparingDouble(c -> dominantShare(c, totals));
        return clients.stream().sorted(byShare.thenComparing(Client::name)).toList();
    }

    /** The last total asked about and its scalars: a round asks about one total many times. */
    private record Totals(Resources total, Map<String, Double> scalars) {}

    private Totals lastTotals = new Totals(Resources.empty(), Map.of());

    @Override
    public double share(Client client, Resources total) {
        Totals last = lastTotals;
        if (last.total() != total) {
            last = new Totals(total, total.scalars());
            lastTotals = last;
        }
        return dominantShare(client, last.scalars());
    }

    /** The client's dominant share, in [0, 1/weight] when allocations fit in the total. */
    public static double dominantShare(Client client, Map<String, Double> totals) {
        // Entries come sorted by name, so each scalar's total over its roles is a run of neighbours.
        double max = 0;
        List<Resource> entries = client.allocated().list();
        for (int i = 0; i < entries.size(); ) {
            String name = entries.get(i).name();
            long thousandths = 0;
            for (; i < entries.size() && entries.get(i).name().equals(name); i++) {
                if (entries.get(i).value() instanceof Value.Scalar s) {
                    thousandths += s.thousandths();
                }
            }
            Double t = totals.get(name);
            if (thousandths > 0 && t != null && t > 0) {
                max = Math.max(max, (thousandths / 1000.0) / t);
            }
        }
        return max / client.weight();
    }
}
